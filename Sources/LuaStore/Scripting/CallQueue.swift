import LuaStoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The auto-async queue of one atomic script run: plain single-key writes whose results
/// the script discards (`redis.acall` / `redis.apcall`) beyond the first
/// ``eagerCalls`` after a flush point, already checked by ``ScriptRun`` (arity, declared
/// key, read-only, SCRIPT KILL's write handshake).
///
/// The queued calls run in two ways, both on ``FlushPool``'s threads:
/// - **While the script goes on (the drain).** Every ``segment`` calls, the queue offers
///   what it holds to an idle worker (``FlushPool/startBackground(_:)``), which runs the
///   calls in the script's order, a segment at a time, while the script's thread keeps
///   running Lua and queueing. So the script's Lua and its commands overlap. A busy pool
///   refuses, and the calls wait for the flush.
/// - **At the flush point.** The flush stops the drain (waiting for the segment it is
///   running), then groups the calls the drain did not reach by their key's shard, keeping
///   the script's order inside each group, and runs the groups concurrently (the script's
///   thread takes part). Calls on one key run in the order the script made them; calls on
///   different shards touch disjoint keys, and their order does not change what any of
///   them does. The drained calls all ran before the flushed ones.
///
/// Every queued call runs, whatever the others answer; the flush reports the error of the
/// first raising call (`acall`) in the script's order that failed.
///
/// Why the workers may run the script's commands: they run them as the script's
/// ``Owner``, and admission to a key lock depends on the owner, not the thread. Every
/// queued key is one the run declared and locked exclusively before the script started
/// (writes by read-only runs are refused before they are queued), so a worker is admitted
/// at once and never waits for a key lock. Lock order: a worker takes one shard lock per
/// command, as any single-key command does, and never while holding another lock; the
/// script's thread waits for the drain or the flush holding key locks only (which are not
/// mutexes: they make other owners wait, never the script's own commands), the drain
/// never waits for anything, and the pool never makes a caller wait for another caller's
/// work (a busy pool means "run it yourself"). So no cycle of waits can form.
///
/// # Safety
/// - The calls and their arguments live in raw buffers of fixed capacity
///   (``capacity``, ``argumentCapacity``), allocated in `init`, freed in `deinit`, never
///   moved: the script's thread writes slots past those it has handed to the drain while
///   the drain reads the earlier ones, which a growing array (reallocation, a shared
///   header) would not allow. The slots below `count` are initialised; a flush
///   deinitialises the arguments it ran.
/// - The drain's range and the flush's hand-over go through `mutex`: the script's thread
///   publishes `submitted` under it after writing the slots, the drain reads the slots
///   after reading `submitted` under it, and the flush reads `drained` under it after the
///   drain has stopped.
/// - The per-group error slots (`failedIndex`, `failedReply`) are raw buffers, one slot
///   per shard, because several workers write them at once during a flush; a group writes
///   only its own slot.
///
/// # Thread safety
/// Used by the script's thread, except ``runInBackground()`` (one worker, state shared
/// through `mutex` as above) and ``runPart(_:)``, which ``FlushPool`` calls from several
/// threads during ``flush(parallel:)`` while the slots are only read; each part writes
/// its own error slot, and the pool's mutex orders those writes before the flush reads them.
final class CallQueue: FlushWork, BackgroundFlushWork {
    /// A queued call: its arguments are `argumentSlots[start..<start + count]`.
    struct Call {
        var spec: Unretained<CommandSpec>
        var start: Int32
        var count: Int32
        var shard: Int32
        var raising: Bool
    }

    /// The calls after a flush point that ``ScriptRun`` runs at once instead of queueing.
    static let eagerCalls = 64
    /// Below this many calls a flush runs on the script's thread: waking a worker costs
    /// more than it saves for a few sub-microsecond commands.
    static let parallelMinimum = 32
    /// The calls the drain takes at a time, and how often the script offers them.
    static let segment = 32
    /// The most calls, and call arguments, the queue holds before a flush.
    static let capacity = 1024
    static let argumentCapacity = 8 * 1024

    private let core: Unretained<StoreCore>
    private let owner: Owner
    private let shardCount: Int
    private let callSlots: UnsafeMutablePointer<Call>
    private let argumentSlots: UnsafeMutablePointer<ByteString>
    /// Written by the script's thread only.
    private(set) var count = 0
    private var argumentCount = 0
    private var offered = 0

    // The drain's state, guarded by `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let drainEnded: UnsafeMutablePointer<pthread_cond_t>
    /// Calls below `submitted` may be drained; those below `drained` have run.
    private var submitted = 0
    private var drained = 0
    private var draining = false
    private var stopDraining = false
    private var drainError: Reply?

    /// Argument arrays by argument count (0...8), overwritten call after call on the
    /// script's thread, as `redis.call` does with its own.
    private var scratch: [[ByteString]] = Array(repeating: [], count: 9)
    /// Call indices, grouped by shard: group `g` is `order[groupStarts[g]..<groupStarts[g + 1]]`.
    private var order: [Int] = []
    private var groupStarts: [Int] = []
    /// Group indices, largest group first: parts are handed out in this order, so the
    /// last part to finish is a small one and no thread waits long for another.
    private var largestFirst: [Int] = []
    private var shardCounts: [Int] = []
    /// Per group: the index of its first failed raising call (`Int.max`: none) and its
    /// reply; allocated at the first parallel flush.
    private var failedIndex = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    private var failedReply = UnsafeMutableBufferPointer<Reply?>(start: nil, count: 0)

    init(core: Unretained<StoreCore>, owner: Owner) {
        self.core = core
        self.owner = owner
        shardCount = core.borrow { $0.keyspace.shards.count }
        callSlots = .allocate(capacity: Self.capacity)
        argumentSlots = .allocate(capacity: Self.argumentCapacity)
        mutex = .allocate(capacity: 1)
        drainEnded = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(drainEnded, nil)
    }

    deinit {
        // A run that ends flushes first; this is the unwinding of one that did not.
        argumentSlots.deinitialize(count: argumentCount)
        argumentSlots.deallocate()
        callSlots.deinitialize(count: count)
        callSlots.deallocate()
        pthread_cond_destroy(drainEnded)
        pthread_mutex_destroy(mutex)
        drainEnded.deallocate()
        mutex.deallocate()
        failedIndex.deallocate()
        _ = failedReply.deinitialize()
        failedReply.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Whether a call of `arguments` arguments fits without a flush.
    func canTake(arguments: Int) -> Bool {
        count < Self.capacity && argumentCount + arguments <= Self.argumentCapacity
    }

    /// Queues a call (it must fit: ``canTake(arguments:)``); `offer`: the pool may have
    /// a core for the drain.
    func append(spec: Unretained<CommandSpec>, argv: [ByteString], shard: Int, raising: Bool, offer: Bool) {
        callSlots.advanced(by: count).initialize(to: Call(
            spec: spec, start: Int32(truncatingIfNeeded: argumentCount), count: Int32(truncatingIfNeeded: argv.count),
            shard: Int32(truncatingIfNeeded: shard), raising: raising))
        argv.withUnsafeBufferPointer { source in
            _ = UnsafeMutableBufferPointer(start: argumentSlots.advanced(by: argumentCount), count: source.count)
                .initialize(from: source)
        }
        argumentCount += argv.count
        count += 1
        if offer, count - offered >= Self.segment { offerToDrain() }
    }

    /// Publishes the calls queued so far to the drain, and starts one unless one runs.
    private func offerToDrain() {
        offered = count
        pthread_mutex_lock(mutex)
        submitted = count
        let start = !draining
        draining = true
        pthread_mutex_unlock(mutex)
        guard start, !FlushPool.shared.startBackground(self) else { return }
        pthread_mutex_lock(mutex)
        draining = false
        pthread_mutex_unlock(mutex)
    }

    /// The drain, on a pool worker: runs published calls in order, a segment at a time,
    /// until none is left or the flush asks it to stop.
    func runInBackground() {
        var scratch: [[ByteString]] = Array(repeating: [], count: 9)
        var firstError: Reply?
        pthread_mutex_lock(mutex)
        while !stopDraining && drained < submitted {
            let from = drained, to = min(submitted, drained + Self.segment)
            pthread_mutex_unlock(mutex)
            for i in from..<to {
                let call = callSlots[i]
                let reply = run(call, scratch: &scratch)
                if firstError == nil, call.raising, case .error = reply { firstError = reply }
            }
            pthread_mutex_lock(mutex)
            drained = to
            if drainError == nil { drainError = firstError }
        }
        draining = false
        pthread_cond_signal(drainEnded)
        pthread_mutex_unlock(mutex)
    }

    /// Runs every queued call and empties the queue; returns the error of the first
    /// failed raising call in queue order. `parallel`: the groups may use the pool's workers.
    func flush(parallel: Bool) -> Reply? {
        guard count > 0 else { return nil }
        pthread_mutex_lock(mutex)
        stopDraining = true
        while draining { pthread_cond_wait(drainEnded, mutex) }
        stopDraining = false
        let from = drained
        let earlier = drainError
        drained = 0
        submitted = 0
        drainError = nil
        pthread_mutex_unlock(mutex)
        let later = runTail(from: from, parallel: parallel)
        argumentSlots.deinitialize(count: argumentCount)
        callSlots.deinitialize(count: count)
        argumentCount = 0
        count = 0
        offered = 0
        return earlier ?? later
    }

    /// Waits until no drain runs, and keeps it from starting again (for a run that ends
    /// without a flush point; its queued calls that did not run never will).
    func stopDrain() {
        pthread_mutex_lock(mutex)
        stopDraining = true
        while draining { pthread_cond_wait(drainEnded, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Runs calls `from..<count` (those the drain did not reach).
    private func runTail(from: Int, parallel: Bool) -> Reply? {
        guard parallel, count - from >= Self.parallelMinimum, group(from: from) > 1 else {
            var firstError: Reply?
            for i in from..<count {
                let call = callSlots[i]
                let reply = run(call, scratch: &scratch)
                if firstError == nil, call.raising, case .error = reply { firstError = reply }
            }
            return firstError
        }
        let groups = groupStarts.count - 1
        if failedIndex.baseAddress == nil {
            failedIndex = .allocate(capacity: shardCount)
            failedIndex.initialize(repeating: Int.max)
            failedReply = .allocate(capacity: shardCount)
            failedReply.initialize(repeating: nil)
        }
        FlushPool.shared.run(self, parts: groups)
        var first = Int.max
        var error: Reply?
        for g in 0..<groups where failedIndex[g] < first {
            first = failedIndex[g]
            error = failedReply[g]
        }
        for g in 0..<groups {
            failedIndex[g] = Int.max
            failedReply[g] = nil
        }
        return error
    }

    func runPart(_ part: Int) {
        let g = largestFirst[part]
        var scratch: [[ByteString]] = Array(repeating: [], count: 9)
        for k in groupStarts[g]..<groupStarts[g + 1] {
            let i = order[k]
            let call = callSlots[i]
            let reply = run(call, scratch: &scratch)
            if failedIndex[g] == Int.max, call.raising, case .error = reply {
                failedIndex[g] = i
                failedReply[g] = reply
            }
        }
    }

    @inline(__always)
    private func run(_ call: Call, scratch: inout [[ByteString]]) -> Reply {
        let n = Int(call.count), start = Int(call.start)
        var argv: [ByteString] = []
        let pooled = n < scratch.count
        if pooled { swap(&argv, &scratch[n]) }
        defer { if pooled { swap(&argv, &scratch[n]) } }
        if argv.count != n { argv = [ByteString](repeating: ByteString(), count: n) }
        argv.withUnsafeMutableBufferPointer { target in
            for i in 0..<n { target[i] = argumentSlots[start + i] }
        }
        return call.spec.borrow { spec in
            core.borrow { $0.run(spec, argv, owner: owner) }
        }
    }

    /// Sorts the indices of calls `from..<count` by shard (a counting sort, stable) into
    /// `order` and `groupStarts`; returns the number of non-empty groups.
    private func group(from: Int) -> Int {
        if shardCounts.count != shardCount { shardCounts = Array(repeating: 0, count: shardCount) }
        for i in shardCounts.indices { shardCounts[i] = 0 }
        for i in from..<count { shardCounts[Int(callSlots[i].shard)] += 1 }
        groupStarts.removeAll(keepingCapacity: true)
        // Each non-empty shard's first position in `order`, kept in shardCounts.
        var position = 0
        for shard in shardCounts.indices {
            let n = shardCounts[shard]
            if n > 0 { groupStarts.append(position) }
            shardCounts[shard] = position
            position += n
        }
        groupStarts.append(position)
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: repeatElement(0, count: count - from))
        for i in from..<count {
            let shard = Int(callSlots[i].shard)
            order[shardCounts[shard]] = i
            shardCounts[shard] += 1
        }
        let groups = groupStarts.count - 1
        largestFirst.removeAll(keepingCapacity: true)
        largestFirst.append(contentsOf: 0..<groups)
        largestFirst.sort { groupStarts[$0 + 1] - groupStarts[$0] > groupStarts[$1 + 1] - groupStarts[$1] }
        return groups
    }
}

extension CommandSpec {
    /// The key of a command that has exactly one (by its fixed key positions), else nil.
    func singleKey(in argv: [ByteString]) -> ByteString? {
        guard !legacyRange.movable, legacyRange.firstKey > 0 else { return nil }
        let first = legacyRange.firstKey
        let last = legacyRange.lastKey >= 0 ? legacyRange.lastKey : argv.count + legacyRange.lastKey
        guard first == last, last < argv.count else { return nil }
        return argv[first]
    }
}
