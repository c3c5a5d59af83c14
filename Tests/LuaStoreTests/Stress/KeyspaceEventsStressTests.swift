import LuaStore
import LuaStoreCore
import Testing

/// Writers on shared keys, keys expiring under them and eviction at a small bound, while
/// notify-keyspace-events changes: the events recorded under shard locks and published
/// after their release reach the subscriber, on keyevent channels only. Its point is Thread
/// Sanitizer's view of those paths (`make test-tsan`).
@Suite struct KeyspaceEventsStressTests {
    @Test func writersExpiryAndEvictionPublishWhileSettingsChange() async throws {
        var configuration = LuaStore.Configuration()
        configuration.settings = .init(maxMemory: 400_000, evictionPolicy: .allKeysLRU, keyspaceEvents: [.keyevent, .all])
        let store = LuaStore(configuration: configuration)
        let events = store.subscribe([], patterns: ["__keyevent@0__:*"])
        let writers = 4, perWriter = 2_000
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<perWriter {
                        let key = ByteString("k\(i % 300)")
                        switch i % 5 {
                        case 0: _ = store.execute(["SET", key, "v", "PX", "1"])
                        case 1: _ = store.execute(["GET", key])
                        case 2: _ = store.execute(["LPUSH", ByteString("l\(w)"), ByteString(String(repeating: "x", count: 50))])
                        case 3: _ = store.execute(["DEL", key])
                        default: _ = store.execute(["ZADD", "z", "1", key])
                        }
                    }
                }
            }
            group.addTask {
                for i in 0..<200 {
                    _ = store.execute(["CONFIG", "SET", "notify-keyspace-events", i % 2 == 0 ? "Ex" : "KEA"])
                }
            }
        }
        _ = store.execute(["CONFIG", "SET", "notify-keyspace-events", "EA"])
        _ = store.purgeExpired()
        events.cancel()
        var count = 0
        for await message in events {
            #expect(message.channel.string.hasPrefix("__keyevent@0__:"))
            count += 1
        }
        #expect(count > 0)
    }
}
