import LuaStoreCore

/// The auto-async queue of one atomic script run: plain single-key writes whose results
/// the script discards (`redis.acall` / `redis.apcall`) beyond the first
/// ``eagerCalls`` after a flush point, already checked by ``ScriptRun`` (arity, declared
/// key, read-only, SCRIPT KILL's write handshake), run together at a flush.
///
/// A flush groups the calls by their key's shard, keeping the script's order inside each
/// group, so the calls on one key run in the order the script made them; calls on
/// different shards touch disjoint keys, and their order does not change what any of them
/// does. The groups run concurrently on ``FlushPool`` (the script's thread takes part).
/// Every queued call runs, whatever the others answer; the flush reports the error of the
/// first raising call (`acall`) in the script's order that failed.
///
/// Why the workers may run the script's commands: they run them as the script's
/// ``Owner``, and admission to a key lock depends on the owner, not the thread. Every
/// queued key is one the run declared and locked exclusively before the script started
/// (writes by read-only runs are refused before they are queued), so a worker is admitted
/// at once and never waits for a key lock. Lock order: a worker takes one shard lock per
/// command, as any single-key command does, and never while holding another lock; the
/// script's thread waits for the flush holding key locks only (which are not mutexes:
/// they make other owners wait, never the script's own commands), and the pool never
/// makes a caller wait for another caller's flush (a busy pool means "run it yourself").
/// So no cycle of waits can form.
///
/// # Safety
/// The per-group error slots (`failedIndex`, `failedReply`) are raw buffers, not arrays,
/// because several workers write them at once and an array in a class property would be
/// one shared, exclusively accessed value. Each has one slot per shard, allocated at the
/// first parallel flush and freed in `deinit`; a group writes only its own slot.
///
/// # Thread safety
/// Used by the script's thread, except ``runPart(_:)``, which ``FlushPool`` calls from
/// several threads during ``flush(parallel:)`` while the queue's arrays are only read;
/// each part writes its own error slot, and the pool's mutex orders those writes before
/// the flush reads them.
final class CallQueue: FlushWork {
    /// A queued call: its arguments are `arguments[start..<start + count]` (one array for
    /// the whole queue, since an array per call cost an allocation per call).
    struct Call {
        var spec: Unretained<CommandSpec>
        var start: Int32
        var count: Int32
        var shard: Int32
        var raising: Bool
    }

    /// The calls after a flush point that ``ScriptRun`` runs at once instead of queueing.
    static let eagerCalls = 64
    /// Below this many queued calls a flush runs on the script's thread: waking a worker
    /// costs more than it saves for a few sub-microsecond commands.
    static let parallelMinimum = 32

    private let core: Unretained<StoreCore>
    private let owner: Owner
    private let shardCount: Int
    private(set) var calls: [Call] = []
    private var arguments: [ByteString] = []
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
        calls.reserveCapacity(Self.parallelMinimum)
        arguments.reserveCapacity(Self.parallelMinimum * 4)
    }

    deinit {
        failedIndex.deallocate()
        _ = failedReply.deinitialize()
        failedReply.deallocate()
    }

    var isEmpty: Bool { calls.isEmpty }
    var count: Int { calls.count }

    func append(spec: Unretained<CommandSpec>, argv: [ByteString], shard: Int, raising: Bool) {
        calls.append(Call(spec: spec, start: Int32(truncatingIfNeeded: arguments.count), count: Int32(truncatingIfNeeded: argv.count),
                          shard: Int32(truncatingIfNeeded: shard), raising: raising))
        arguments.append(contentsOf: argv)
    }

    /// Runs every queued call and empties the queue; returns the error of the first
    /// failed raising call in queue order. `parallel`: the groups may use the pool's workers.
    func flush(parallel: Bool) -> Reply? {
        guard !calls.isEmpty else { return nil }
        defer {
            calls.removeAll(keepingCapacity: true)
            arguments.removeAll(keepingCapacity: true)
        }
        guard parallel, calls.count >= Self.parallelMinimum, group() > 1 else {
            var firstError: Reply?
            for call in calls {
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
            let call = calls[i]
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
        arguments.withUnsafeBufferPointer { source in
            argv.withUnsafeMutableBufferPointer { target in
                for i in 0..<n { target[i] = source[start + i] }
            }
        }
        return call.spec.borrow { spec in
            core.borrow { $0.run(spec, argv, owner: owner) }
        }
    }

    /// Sorts the call indices by shard (a counting sort, stable) into `order` and
    /// `groupStarts`; returns the number of non-empty groups.
    private func group() -> Int {
        if shardCounts.count != shardCount { shardCounts = Array(repeating: 0, count: shardCount) }
        for i in shardCounts.indices { shardCounts[i] = 0 }
        for call in calls { shardCounts[Int(call.shard)] += 1 }
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
        order.append(contentsOf: repeatElement(0, count: calls.count))
        for (i, call) in calls.enumerated() {
            let shard = Int(call.shard)
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
