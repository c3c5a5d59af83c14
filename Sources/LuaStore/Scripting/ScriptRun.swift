import LuaStoreCore
import LuaStoreScripting

/// The store's side of one script run: what `redis.call` may do, and under which locks.
///
/// - Atomic (default): the run owns key locks on its declared KEYS (shared for read-only
///   runs), taken before the script starts; its calls run as that owner, so they pass its
///   own locks while everyone else waits on those keys only.
/// - `allow-undeclared-keys` + atomic: the run owns every shard.
/// - `disable-atomicity`: no locks across calls; each call is atomic on its own and other
///   callers interleave, like a pipeline.
///
/// # Thread safety
/// Used only by the thread running the script (the engine never calls a host
/// concurrently).
final class ScriptRun: ScriptHost {
    /// Unretained, as the command table: a run lives inside a call on the store, and
    /// retaining the shared store per `redis.call` made threads contend on its count.
    private let coreReference: Unretained<StoreCore>
    private let commandsReference: Unretained<CommandTable>
    let owner: Owner
    /// Keys the script may touch (nil with `allow-undeclared-keys`): a list while there
    /// are few, since scripts usually declare a handful and a linear scan of inline byte
    /// strings beats hashing on every `redis.call`; a set past that.
    private let fewDeclared: [ByteString]?
    private let manyDeclared: Set<ByteString>?
    private let checksKeys: Bool
    /// `no-writes` scripts and *_RO commands.
    let readOnly: Bool
    /// SCRIPT KILL's handshake, and whether this run has passed it (then writes go ahead
    /// without touching it again).
    private var writeGate: ScriptWriteGate?
    private var hasWritten = false
    /// Auto-async: whether this run queues calls (an atomic run), and its queue, made at
    /// the first queued call.
    private let queues: Bool
    private var queue: CallQueue?
    /// Calls made since the last flush point, and the first error of a raising one that
    /// ran at once (reported at the flush point).
    private var windowCalls = 0
    private var heldError: Reply?

    /// `queues`: the run holds the locks of every key it may touch for its whole run
    /// (an atomic run), so its calls may be queued (see ``CallQueue``).
    init(core: StoreCore, owner: Owner, declared: [ByteString]?, readOnly: Bool, queues: Bool = false) {
        coreReference = Unretained(core, keptAliveBy: .store)
        commandsReference = Unretained(core.commands, keptAliveBy: .store)
        self.owner = owner
        self.readOnly = readOnly
        self.queues = queues
        checksKeys = declared != nil
        if let declared, declared.count > 8 {
            fewDeclared = nil
            manyDeclared = Set(declared)
        } else {
            fewDeclared = declared
            manyDeclared = nil
        }
    }

    @inline(__always)
    private func isDeclared(_ key: ByteString) -> Bool {
        if let fewDeclared { return fewDeclared.contains(key) }
        return manyDeclared?.contains(key) ?? true
    }

    /// The last two commands this run looked up, by the exact bytes the script passed
    /// (scripts repeat a few names, often alternating two, as the seed's LPUSH and LTRIM):
    /// comparing two inline byte strings costs a fraction of folding case and hashing. A
    /// miss replaces the entries in turn, so two alternating names both stay.
    private var recentName0 = ByteString(), recentName1 = ByteString()
    private var recentSpec0: Unretained<CommandSpec>?, recentSpec1: Unretained<CommandSpec>?
    private var replaceSecond = false

    @inline(__always)
    private func lookup(_ name: ByteString) -> Unretained<CommandSpec>? {
        if let spec = recentSpec0, name == recentName0 { return spec }
        if let spec = recentSpec1, name == recentName1 { return spec }
        guard let spec = commandsReference.borrow({ $0.lookupUnretained(name) }) else {
            return nil
        }
        if replaceSecond {
            recentName1 = name
            recentSpec1 = spec
        } else {
            recentName0 = name
            recentSpec0 = spec
        }
        replaceSecond.toggle()
        return spec
    }

    func call(_ argv: [ByteString]) -> Reply {
        call(argv, protocolVersion: .resp2)
    }

    func call(_ argv: [ByteString], protocolVersion: RESPVersion) -> Reply {
        guard !argv.isEmpty, let spec = lookup(argv[0]) else {
            return ScriptErrors.unknownCommand
        }
        return spec.borrow { spec in
            coreReference.borrow { core in
                guard spec.subcommands != nil else { return run(spec, argv, on: core, protocolVersion: protocolVersion) }
                // A container runs its subcommand; an unknown one is an unknown command to
                // a script, as `lookupCommand` returns nothing for it.
                guard let resolved = spec.resolved(argv) else { return ScriptErrors.unknownCommand }
                return run(resolved, argv, on: core, protocolVersion: protocolVersion)
            }
        }
    }

    /// The checks scripts add (arity, script-only refusals, read-only, declared keys,
    /// the kill handshake), then the command.
    @inline(__always)
    private func run(_ spec: CommandSpec, _ argv: [ByteString], on core: StoreCore, protocolVersion: RESPVersion) -> Reply {
        guard spec.acceptsArgumentCount(argv.count) else { return ScriptErrors.wrongArity }
        if spec.flags.contains(.noScript) {
            return .error("ERR This Redis command is not allowed from script")
        }
        if spec.flags.contains(.write) {
            if readOnly { return ScriptErrors.writeInReadOnlyScript }
            if !hasWritten {
                // A SCRIPT KILL that came first wins: the run is stopping, nothing is written.
                if let writeGate, !writeGate.admitWrite() { return ScriptErrors.killed }
                hasWritten = true
            }
        }
        if checksKeys, let key = spec.firstKey(in: argv, where: { !isDeclared($0) }) {
            return ScriptErrors.undeclaredKey(key)
        }
        return core.run(spec, argv, owner: owner, protocolVersion: protocolVersion)
    }

    func bind(_ gate: ScriptWriteGate) { writeGate = gate }

    func enqueue(_ argv: [ByteString]) -> Reply? {
        enqueue(argv, raising: true)
    }

    /// Queues a call whose result the script discards; `raising` is false for `apcall`.
    ///
    /// Only an atomic run queues, and only a plain single-key write that passes the
    /// script's checks; anything else first flushes the queue, then runs at once (a
    /// non-atomic run has no locks that could keep queued keys unchanged until a flush).
    /// The first ``CallQueue/eagerCalls`` calls after a flush point run at once on this
    /// thread, their first raising error held until the flush point: a flush of a few calls
    /// gains nothing from the workers, and copying calls into a queue costs time.
    /// Returns an error to raise: a flush's, or this call's when it runs at once and raises.
    func enqueue(_ argv: [ByteString], raising: Bool) -> Reply? {
        guard queues, let (spec, key) = queueable(argv) else {
            if let error = flush() { return error }
            let reply = call(argv)
            if raising, case .error = reply { return reply }
            return nil
        }
        windowCalls += 1
        if windowCalls <= CallQueue.eagerCalls {
            let reply = spec.borrow { spec in
                coreReference.borrow { $0.run(spec, argv, owner: owner) }
            }
            if heldError == nil, raising, case .error = reply { heldError = reply }
            return nil
        }
        let queue = self.queue ?? makeQueue()
        if !queue.canTake(arguments: argv.count) {
            if let error = flush() { return error }
            guard queue.canTake(arguments: argv.count) else {
                // Larger than the whole queue: it runs at once.
                let reply = call(argv)
                if raising, case .error = reply { return reply }
                return nil
            }
        }
        if queue.isEmpty { FlushPool.shared.runStartsQueueing() }
        let shard = coreReference.borrow { $0.keyspace.shardIndex(key.storeHash) }
        queue.append(spec: spec, argv: argv, shard: shard, raising: raising, offer: FlushPool.shared.hasSpareCores)
        return nil
    }

    private func makeQueue() -> CallQueue {
        let queue = CallQueue(core: coreReference, owner: owner)
        self.queue = queue
        return queue
    }

    /// The command and its key, when `argv` is a plain single-key write this run may make
    /// now; it has then passed SCRIPT KILL's write handshake. Nil for anything else,
    /// including every call that would fail a script check (it then runs at once, through
    /// ``call(_:)``, which reports the error).
    private func queueable(_ argv: [ByteString]) -> (Unretained<CommandSpec>, ByteString)? {
        guard !readOnly, !argv.isEmpty, let reference = lookup(argv[0]) else { return nil }
        return reference.borrow { spec -> (Unretained<CommandSpec>, ByteString)? in
            guard spec.subcommands == nil, spec.flags.contains(.write),
                  spec.flags.isDisjoint(with: [.noScript, .blocking]),
                  spec.acceptsArgumentCount(argv.count), let key = spec.singleKey(in: argv),
                  !checksKeys || isDeclared(key) else { return nil }
            if !hasWritten {
                if let writeGate, !writeGate.admitWrite() { return nil }
                hasWritten = true
            }
            return (reference, key)
        }
    }

    /// The flush point: runs everything queued (see ``CallQueue``) and returns the first
    /// error of a raising call since the last flush point, in the script's order.
    func flush() -> Reply? {
        windowCalls = 0
        // Calls that ran at once came before every queued one.
        let held = heldError
        heldError = nil
        guard let queue, !queue.isEmpty else { return held }
        let error = queue.flush(parallel: FlushPool.shared.hasSpareCores)
        FlushPool.shared.runStopsQueueing()
        return held ?? error
    }

    deinit {
        // Every run ends with a flush point; a run unwound without one still must not
        // leave a drain writing after its locks are gone.
        if let queue, !queue.isEmpty {
            queue.stopDrain()
            FlushPool.shared.runStopsQueueing()
        }
    }
}
