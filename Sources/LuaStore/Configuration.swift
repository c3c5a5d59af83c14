import Logging
import LuaStoreScripting

extension LuaStore {
    /// How a store is set up.
    ///
    /// # Thread safety
    /// A `Sendable` value.
    public struct Configuration: Sendable {
        /// Number of shards (a power of two). More shards, less contention between threads
        /// on different keys. Default: 16.
        public var shardCount: Int
        /// The clock TTLs are measured against. Use ``ManualClock`` in tests.
        public var clock: any StoreClock
        /// The script engine: time limit, memory cap per Lua state, default flags,
        /// auto-async, logger.
        public var scripting: ScriptEngine.Configuration
        /// The initial memory bound and eviction policy (changeable while the store runs:
        /// ``LuaStore/updateSettings(_:)``, `CONFIG SET`).
        public var settings: LuaStore.Settings

        /// Where the store reports its own events (swift-log): scripts stopped by SCRIPT
        /// KILL, the time limit, cancellation or the memory cap, slow scripts (see
        /// `ScriptEngine.Configuration.slowScriptThreshold`) and Lua's `redis.log`. The
        /// same logger as `scripting.logger`. Leave it alone and nothing needs
        /// `import Logging`; set it to route the events into an application's logging.
        public var logger: Logger {
            get { scripting.logger }
            set { scripting.logger = newValue }
        }

        public init(shardCount: Int = 16, clock: any StoreClock = SystemClock(), scripting: ScriptEngine.Configuration = .init(),
                    settings: LuaStore.Settings = .init()) {
            self.shardCount = shardCount
            self.clock = clock
            self.scripting = scripting
            self.settings = settings
        }
    }
}
