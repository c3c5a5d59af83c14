import LuaStoreCore
import Synchronization

/// One caller's connection-like state: what Redis keeps per client. A session holds its
/// MULTI queue, the keys it WATCHes and the protocol it speaks (HELLO 2|3), and answers
/// MULTI, EXEC, DISCARD, WATCH, UNWATCH and HELLO as redis-server 7 answers a client;
/// every other command runs as through `store.execute(_:)`.
///
/// ```swift
/// let session = store.session()
/// session.execute(["WATCH", "balance"])
/// let balance = session.execute(["GET", "balance"])
/// session.execute(["MULTI"])
/// session.execute(["SET", "balance", "90"])      // +QUEUED
/// session.execute(["EXEC"])                      // [+OK], or a null array if balance changed
/// ```
///
/// EXEC runs its queued commands atomically: it takes the key locks of every key they
/// name (as an atomic script does: exclusive for a write command, shared otherwise, plus
/// shared locks on the watched keys) for the whole run, and the whole store only when a
/// queued command works on every key (FLUSHALL, FLUSHDB, KEYS, SCAN, RANDOMKEY, DBSIZE).
///
/// # Thread safety
/// Not thread-safe: a session is used by one caller at a time, as a Redis client is one
/// connection. Use one session per thread (or task); sessions of one store may run
/// at once, and the store stays thread-safe.
public final class Session {
    let core: StoreCore
    /// The protocol replies are shaped for: RESP2 until `HELLO 3`.
    public internal(set) var protocolVersion: RESPVersion = .resp2
    /// The name given with `HELLO ... SETNAME`.
    public internal(set) var name: ByteString?
    /// The queued commands between MULTI and EXEC; nil outside MULTI.
    var queue: [[ByteString]]?
    /// A command failed to queue: EXEC answers EXECABORT.
    var queueFailed = false
    /// The keys WATCHed, with what WATCH saw.
    var watched: [WatchedKey] = []
    /// HELLO's `id`, as Redis's client ids: from 1, in creation order.
    let id: Int64

    private static let nextID = Atomic<Int64>(0)

    init(core: StoreCore) {
        self.core = core
        id = Session.nextID.add(1, ordering: .relaxed).newValue
    }

    deinit { unwatchAll() }

    /// Whether the session is between MULTI and EXEC/DISCARD.
    public var inTransaction: Bool { queue != nil }

    /// Runs one command as redis-server runs it for a client: inside MULTI, queues it
    /// (`+QUEUED`) or records a queue-time error; EXEC, DISCARD, WATCH, UNWATCH and HELLO
    /// act on this session.
    @discardableResult
    public func execute(_ argv: [ByteString]) -> Reply {
        guard let name = argv.first, let container = core.commands.lookup(name) else {
            return refuse(core.execute(argv))
        }
        guard let spec = container.resolved(argv) else {
            return refuse(core.execute(argv))
        }
        guard spec.acceptsArgumentCount(argv.count) else {
            if spec.name == "exec" {
                discard()
                return StoreError.execAbortBecause("wrong number of arguments for 'exec' command").reply
            }
            return refuse(core.execute(argv))
        }
        switch spec.name {
        case "multi":
            if queue != nil { return StoreError.multiNested.reply }
            queue = []
            return .status("OK")
        case "exec": return exec()
        case "discard":
            guard queue != nil else { return StoreError.discardWithoutMulti.reply }
            discard()
            return .status("OK")
        case "watch":
            if queue != nil { return StoreError.watchInsideMulti.reply }
            watch(Array(argv.dropFirst()))
            return .status("OK")
        default:
            if queue != nil {
                queue!.append(argv)
                return .status("QUEUED")
            }
            return run(spec, argv, owner: .none)
        }
    }

    /// ``execute(_:)`` with text arguments (UTF-8).
    @discardableResult
    public func execute(_ argv: [String]) -> Reply {
        execute(argv.map { ByteString($0) })
    }

    /// A command refused before it ran: inside MULTI it also dooms the transaction, as
    /// Redis's `flagTransaction`.
    private func refuse(_ reply: Reply) -> Reply {
        if queue != nil { queueFailed = true }
        return reply
    }

    /// Runs one command that is not a transaction command of this session (or UNWATCH,
    /// HELLO, which act on it) for `owner`.
    func run(_ spec: CommandSpec, _ argv: [ByteString], owner: Owner) -> Reply {
        switch spec.name {
        case "unwatch":
            unwatchAll()
            return .status("OK")
        case "hello":
            return hello(argv)
        default:
            return core.run(spec, argv, owner: owner, protocolVersion: protocolVersion)
        }
    }

    /// Ends MULTI without running the queue; forgets the watched keys (Redis's
    /// `discardTransaction`).
    func discard() {
        queue = nil
        queueFailed = false
        unwatchAll()
    }
}

extension LuaStore {
    /// A new session: a caller's own MULTI queue, watched keys and protocol, for running
    /// transactions through argv as a Redis client does (``Session``).
    public func session() -> Session { Session(core: core) }
}
