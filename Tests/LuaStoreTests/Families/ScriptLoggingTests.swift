import Logging
import LuaStore
import LuaStoreCore
import Testing

/// The store's own log events reach the logger set in its configuration.
@Suite struct ScriptLoggingTests {
    /// Keeps every event it is given.
    struct Recorder: LogHandler {
        struct Event: Sendable {
            var level: Logger.Level
            var message: String
            var metadata: [String: String]
        }
        let events: Locked<[Event]>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
            events.withLock { $0.append(Event(level: event.level, message: event.message.description, metadata: fields)) }
        }
    }

    static func store(timeLimit: Duration? = .seconds(5), slow: Duration? = nil) -> (LuaStore, Locked<[Recorder.Event]>) {
        let events = Locked<[Recorder.Event]>([])
        var configuration = LuaStore.Configuration(scripting: .init(timeLimit: timeLimit, slowScriptThreshold: slow))
        configuration.logger = Logger(label: "test") { _ in Recorder(events: events) }
        return (LuaStore(configuration: configuration), events)
    }

    @Test func aRunStoppedAtTheTimeLimitIsAWarning() throws {
        let (store, events) = Self.store(timeLimit: .milliseconds(50))
        #expect(throws: StoreError.self) { try store.eval("while true do end") }
        let logged = events.withLock { $0 }
        #expect(logged.count == 1)
        #expect(logged.first?.level == .warning)
        #expect(logged.first?.message == "script stopped at the time limit")
        #expect(logged.first?.metadata["script"]?.count == 40)
    }

    @Test func aSlowRunIsANoticeWithItsDuration() throws {
        let (store, events) = Self.store(slow: .milliseconds(20))
        try store.eval("local t = redis.call('TIME') return 1")          // fast: nothing
        try store.eval("local n = 0 for i = 1, 5e6 do n = n + i end return n")
        let logged = events.withLock { $0 }
        #expect(logged.count == 1)
        #expect(logged.first?.level == .notice)
        #expect(logged.first?.message == "slow script run")
        #expect(Int(logged.first?.metadata["elapsed_ms"] ?? "") ?? 0 >= 20)
    }

    @Test func redisLogWritesAtItsLevel() throws {
        let (store, events) = Self.store()
        try store.eval("redis.log(redis.LOG_WARNING, 'disk', 'low') return 1")
        let logged = events.withLock { $0 }
        #expect(logged.map(\.message) == ["disk low"])
        #expect(logged.first?.level == .warning)
    }

    @Test func nothingIsLoggedForOrdinaryRunsWithoutAThreshold() throws {
        let (store, events) = Self.store()
        try store.eval("return redis.call('SET', KEYS[1], 'v')", keys: ["k"])
        #expect(throws: StoreError.self) { try store.eval("return redis.call('NOPE')") }
        #expect(events.withLock { $0.isEmpty })
    }
}
