import LuaStoreCore
import Testing
@testable import LuaStore

/// Keyspace notifications reached from every path: the typed API, `execute`, eviction,
/// and the settings API; none when the classes or the destinations are off.
@Suite struct KeyspaceEventsTests {
    static func messages(_ subscription: LuaStore.Subscription) async -> [String] {
        subscription.cancel()
        var out: [String] = []
        for await m in subscription { out.append("\(m.channel.string) \(m.payload.string)") }
        return out
    }

    @Test func typedAPINotifies() async throws {
        var configuration = LuaStore.Configuration()
        configuration.settings.keyspaceEvents = [.keyevent, .string, .generic, .list]
        let store = LuaStore(configuration: configuration)
        let subscription = store.subscribe([], patterns: ["__keyevent@0__:*"])
        try store.set("a", "1")
        _ = try store.set("b", "2", ttl: .seconds(100))
        _ = try store.del("a")
        try store.lpush("l", ["x"])
        #expect(await Self.messages(subscription) == [
            "__keyevent@0__:set a", "__keyevent@0__:set b", "__keyevent@0__:expire b",
            "__keyevent@0__:del a", "__keyevent@0__:lpush l",
        ])
    }

    @Test func nothingWithoutADestinationOrClass() async throws {
        let store = LuaStore()
        let subscription = store.subscribe([], patterns: ["*"])
        _ = store.execute(["SET", "a", "1"])
        _ = store.execute(["CONFIG", "SET", "notify-keyspace-events", "A"])
        _ = store.execute(["SET", "a", "1"])
        _ = store.execute(["CONFIG", "SET", "notify-keyspace-events", "Kl"])
        _ = store.execute(["SET", "a", "1"])
        #expect(await Self.messages(subscription).isEmpty)
    }

    @Test func evictionNotifies() async throws {
        var configuration = LuaStore.Configuration()
        configuration.settings = .init(maxMemory: 200_000, evictionPolicy: .allKeysRandom, keyspaceEvents: [.keyevent, .evicted])
        let store = LuaStore(configuration: configuration)
        let subscription = store.subscribe(["__keyevent@0__:evicted"])
        for i in 0..<20_000 { try store.set(ByteString("key:\(i)"), ByteString(String(repeating: "v", count: 40))) }
        let evicted = await Self.messages(subscription)
        #expect(!evicted.isEmpty)
        #expect(evicted.count == 20_000 - store.dbsize())
    }
}
