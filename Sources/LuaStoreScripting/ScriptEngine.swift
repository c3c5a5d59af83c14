import CLua
import CLuaRun
import Logging
import LuaStoreCore
import Synchronization

/// Runs Redis Lua scripts and functions against a ``ScriptHost``.
///
/// Each run takes a Lua state from a pool (one per concurrently running script), so runs on
/// different threads proceed in parallel. Scripts are compiled lazily into each state and
/// cached there by SHA1. The engine does no locking of keys: the store does that around
/// ``run(_:keys:args:host:cancellation:)`` using ``Script/flags`` / ``FunctionInfo/flags``.
///
/// A store has one (`store.scriptEngine`); its scripts run through the store, which
/// locks their keys:
///
/// ```swift
/// let store = LuaStore()
/// let script = try store.scriptEngine.load("return redis.call('INCR', KEYS[1])")   // SCRIPT LOAD
/// let reply = try store.eval(script, keys: ["counter"])                            // .integer(1)
/// ```
///
/// # Thread safety
/// Thread-safe: every method may be called from any thread; shared state (script cache,
/// function libraries, running runs) is behind mutexes.
public final class ScriptEngine: Sendable {
    /// Engine settings.
    ///
    /// # Thread safety
    /// A value type: safe to share.
    public struct Configuration: Sendable {
        /// A run still going after this long is stopped (nil: no limit).
        public var timeLimit: Duration?
        /// Cap on the bytes one Lua state may allocate (0: none). A script that exceeds it
        /// fails with an error and its state is discarded.
        public var memoryLimitPerState: Int
        /// Flags added to every script's own flags (Dragonfly's `default_lua_flags`).
        public var defaultFlags: ScriptFlags
        /// Rewrite statement-level `redis.call`/`pcall` to queued calls (see ``ScriptHost/enqueue(_:)``).
        public var autoAsync: Bool
        /// Where `redis.log` writes, and where the engine reports runs stopped by SCRIPT
        /// KILL, the time limit, cancellation or the memory cap (`warning`) and slow runs
        /// (`notice`). The default logs through swift-log's bootstrapped handler.
        public var logger: Logger
        /// Runs that take at least this long are logged at `notice` level with their
        /// duration (nil: none). Default: 1 second.
        public var slowScriptThreshold: Duration?
        /// Idle Lua states kept for reuse.
        public var maxIdleStates: Int
        /// Instructions between two checks of the kill flag and the time limit, where runs
        /// fall back to a count hook (no free signal, the thread blocks it, Thread Sanitizer);
        /// otherwise stops arrive by signal and runs have no hook (see Docs/Scripting-Engine.md).
        public var hookInstructionCount: Int32
        /// `redis.REDIS_VERSION` and `REDIS_VERSION_NUM`.
        public var redisVersion: String

        public init(timeLimit: Duration? = .seconds(5), memoryLimitPerState: Int = 64 << 20,
                    defaultFlags: ScriptFlags = [], autoAsync: Bool = false,
                    logger: Logger = Logger(label: "luastore.scripting"), maxIdleStates: Int = 64,
                    hookInstructionCount: Int32 = 10_000, redisVersion: String = "7.0.15",
                    slowScriptThreshold: Duration? = .seconds(1)) {
            self.timeLimit = timeLimit
            self.memoryLimitPerState = memoryLimitPerState
            self.defaultFlags = defaultFlags
            self.autoAsync = autoAsync
            self.logger = logger
            self.maxIdleStates = maxIdleStates
            self.hookInstructionCount = hookInstructionCount
            self.redisVersion = redisVersion
            self.slowScriptThreshold = slowScriptThreshold
        }
    }

    public let configuration: Configuration
    /// The time limit of runs that start from now on (0: none); CONFIG SET
    /// `lua-time-limit` changes it at run time.
    private let timeLimit: Atomic<Int64>
    private let slowThresholdNanoseconds: Int64
    var timeLimitNanoseconds: Int64 { timeLimit.load(ordering: .relaxed) }
    let pool: StatePool
    let scripts = Locked<ScriptCache>(ScriptCache())
    let libraries = Locked<FunctionRegistry>(FunctionRegistry())
    let running = Locked<[ObjectIdentifier: RunningEntry]>([:])

    struct ScriptCache {
        var bySHA: [String: Script] = [:]
        /// Flags set from Swift (Dragonfly's SCRIPT FLAGS), by SHA1; kept across SCRIPT FLUSH.
        var extraFlags: [String: ScriptFlags] = [:]
        var generation: UInt64 = 0
    }
    struct RunningEntry {
        var state: LuaState
        var isFunction: Bool
    }

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        timeLimit = Atomic(Self.nanoseconds(configuration.timeLimit))
        slowThresholdNanoseconds = Self.nanoseconds(configuration.slowScriptThreshold)
        let version = configuration.redisVersion
        let parts = version.split(separator: ".").compactMap { Int($0) } + [0, 0, 0]
        let versionNumber = parts[0] << 16 | parts[1] << 8 | parts[2]
        let limit = configuration.memoryLimitPerState
        let logger = configuration.logger
        pool = StatePool(maxIdle: configuration.maxIdleStates) {
            LuaState(memoryLimit: limit, logger: logger, version: version, versionNumber: versionNumber)
        }
    }

    // MARK: - Script cache (SCRIPT LOAD / EXISTS / FLUSH)

    /// SCRIPT LOAD: parses and caches `source`. Throws Redis's shebang errors.
    @discardableResult
    public func load(_ source: ByteString) throws(StoreError) -> Script {
        let script = try Script(source)
        scripts.withLock { $0.bySHA[script.sha1] = script }
        return script
    }

    /// The cached script named `sha1` (any case), as EVALSHA finds it.
    public func script(sha1: String) -> Script? {
        let key = sha1.lowercased()
        return scripts.withLock { $0.bySHA[key] }
    }

    /// SCRIPT EXISTS: one flag per name.
    public func exists(_ sha1s: [String]) -> [Bool] {
        let keys = sha1s.map { $0.lowercased() }
        return scripts.withLock { cache in keys.map { cache.bySHA[$0] != nil } }
    }

    /// SCRIPT FLUSH: forgets every cached script. Idle states are closed (freeing their
    /// compiled copies now); states still running drop theirs at their next run.
    public func flushScripts() {
        scripts.withLock {
            $0.bySHA.removeAll()
            $0.generation &+= 1
        }
        pool.drain()
    }

    /// The flags a run of `script` has: its own, those set with ``setFlags(_:forScript:)``,
    /// and the configured defaults. The store locks by these.
    public func effectiveFlags(of script: Script) -> ScriptFlags {
        let extra = scripts.withLock { $0.extraFlags[script.sha1] } ?? []
        return script.flags.union(extra).union(configuration.defaultFlags)
    }

    /// Dragonfly's SCRIPT FLAGS: flags for a script whose text cannot change, by SHA1 (any case).
    public func setFlags(_ flags: ScriptFlags, forScript sha1: String) {
        scripts.withLock { $0.extraFlags[sha1.lowercased()] = flags }
    }

    // MARK: - Running

    /// EVAL: parses, caches and runs `source`. Shebang errors come back as error replies.
    @usableFromInline package func eval(_ source: ByteString, keys: [ByteString], args: [ByteString], host: any ScriptHost,
                     cancellation: ScriptCancellation? = nil) -> Reply {
        do {
            let script = try load(source)
            return run(script, keys: keys, args: args, host: host, cancellation: cancellation)
        } catch {
            return error.reply
        }
    }

    /// EVALSHA: runs a cached script, or `NOSCRIPT No matching script. Please use EVAL.`
    @usableFromInline package func evalSHA(_ sha1: String, keys: [ByteString], args: [ByteString], host: any ScriptHost,
                        cancellation: ScriptCancellation? = nil) -> Reply {
        guard let script = script(sha1: sha1) else { return StoreError.noScript.reply }
        return run(script, keys: keys, args: args, host: host, cancellation: cancellation)
    }

    /// Runs `script` on the calling thread and returns its reply (errors as `.error`, in
    /// Redis's formats). `host` receives every `redis.call`. Does not add it to the cache.
    @usableFromInline package func run(_ script: Script, keys: [ByteString], args: [ByteString], host: any ScriptHost,
                    cancellation: ScriptCancellation? = nil) -> Reply {
        guard let state = pool.acquire() else { return .error("ERR Error running script \(script.sha1), not enough memory") }
        defer { pool.release(state) }
        let generation = scripts.withLock { $0.generation }
        if state.scriptGeneration != generation {
            state.releaseReferences(state.compiledScripts.values.map(\.ref))
            state.compiledScripts.removeAll()
            state.scriptGeneration = generation
        }
        return state.runScript(script, keys: keys, args: args, host: host,
                               limits: limits(isFunction: false, cancellation: cancellation))
    }

    /// Bytes held by the Lua heaps of the engine's idle states (INFO's `used_memory_lua`);
    /// states running a script at the moment are not counted.
    public var luaMemory: Int { pool.idleMemory }

    /// The time limit of runs that start from now on (nil: none).
    public var currentTimeLimit: Duration? {
        get {
            let ns = timeLimitNanoseconds
            return ns == 0 ? nil : .nanoseconds(ns)
        }
    }

    /// Sets the time limit of runs that start from now on (nil: none); runs in progress
    /// keep theirs.
    public func setTimeLimit(_ limit: Duration?) {
        timeLimit.store(Self.nanoseconds(limit), ordering: .relaxed)
    }

    private static func nanoseconds(_ limit: Duration?) -> Int64 {
        guard let limit else { return 0 }
        let (seconds, attoseconds) = limit.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : max(1, scaled &+ attoseconds / 1_000_000_000)
    }

    func limits(isFunction: Bool, cancellation: ScriptCancellation?) -> RunLimits {
        RunLimits(timeLimitNanoseconds: timeLimitNanoseconds, hookInstructionCount: configuration.hookInstructionCount,
                  autoAsync: configuration.autoAsync, isFunction: isFunction, registry: self, cancellation: cancellation,
                  slowThresholdNanoseconds: slowThresholdNanoseconds)
    }

    /// Called by the running state right before and after `lua_pcall`, so kills find it.
    func didStart(_ state: LuaState, isFunction: Bool, cancellation: ScriptCancellation?) {
        running.withLock { $0[ObjectIdentifier(state)] = RunningEntry(state: state, isFunction: isFunction) }
        cancellation?.attach(state)
    }

    func didEnd(_ state: LuaState, cancellation: ScriptCancellation?) {
        cancellation?.detach()
        running.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(state)) }
    }

    // MARK: - Kill

    /// SCRIPT KILL: stops every running EVAL script that has not written. `+OK` when one
    /// stops; Redis's `UNKILLABLE` error when every running script has written (stopping
    /// it would break its atomicity); `NOTBUSY No scripts in execution right now.` when
    /// none runs. (Redis runs one script at a time; here several may run, and the kill
    /// applies to each.)
    public func killScripts() -> Reply { kill(functions: false) }

    /// FUNCTION KILL: the same for running functions.
    public func killFunctions() -> Reply { kill(functions: true) }

    static let unkillable = Reply.error(
        "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.")

    private func kill(functions: Bool) -> Reply {
        let (killed, refused) = running.withLock { entries -> (Int, Int) in
            var killed = 0, refused = 0
            for entry in entries.values where entry.isFunction == functions {
                if entry.state.kill() { killed += 1 } else { refused += 1 }
            }
            return (killed, refused)
        }
        if killed > 0 { return .ok }
        return refused > 0 ? Self.unkillable : .error("NOTBUSY No scripts in execution right now.")
    }

    /// How many scripts and functions run right now.
    public var runningCount: Int { running.withLock { $0.count } }
}

/// Stops one run from another thread (Swift task cancellation, a client going away).
///
/// Pass it to ``ScriptEngine/run(_:keys:args:host:cancellation:)``; ``cancel()`` before the
/// run starts makes it fail at once, during the run stops it at the next hook check with
/// `ERR Script cancelled by the caller`.
///
/// # Thread safety
/// Thread-safe: its state is behind a `Locked` (a pthread mutex Thread Sanitizer can see).
@usableFromInline package final class ScriptCancellation: Sendable {
    private struct State {
        var cancelled = false
        var run: LuaState?
        var waker: (@Sendable () -> Void)?
    }
    private let state = Locked<State>(State())

    @usableFromInline package init() {}

    @usableFromInline package func cancel() {
        let waker = state.withLock {
            $0.cancelled = true
            $0.run?.interrupt(Int32(CLUA_CANCELLED))
            return $0.waker
        }
        waker?()
    }

    /// Runs `body` (a wait for locks, before the run starts) with `waker` called once
    /// if the run is cancelled meanwhile, so the wait can stop early. The waiter checks
    /// ``isCancelled`` under the lock it waits on, and `waker` takes that lock: a
    /// cancellation cannot fall between the check and the wait.
    package func whileWaiting<R>(wake waker: @escaping @Sendable () -> Void, _ body: () -> R) -> R {
        state.withLock { $0.waker = waker }
        defer { state.withLock { $0.waker = nil } }
        return body()
    }

    @usableFromInline package var isCancelled: Bool { state.withLock { $0.cancelled } }

    func attach(_ run: LuaState) {
        state.withLock {
            $0.run = run
            if $0.cancelled { run.interrupt(Int32(CLUA_CANCELLED)) }
        }
    }

    func detach() { state.withLock { $0.run = nil } }
}
