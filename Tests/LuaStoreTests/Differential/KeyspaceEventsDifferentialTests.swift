import Foundation
import LuaStore
import Testing
import TestSupport

/// Keyspace notifications against redis-server: the same commands on both sides, with a
/// subscriber to `__key*__:*` on each (a second RESP connection in subscribe mode, and
/// `store.subscribe`), and the two message sequences compared, under several
/// notify-keyspace-events settings.
@Suite("Keyspace notifications vs redis-server")
struct KeyspaceEventsDifferentialTests {
    /// Commands of every family that notify, each with its events; `nil` marks a pause
    /// long enough for a 1 ms TTL to pass (the next command then finds the key expired).
    static let script: [[ByteString]?] = [
        ["SET", "s", "1"], ["SET", "s", "2", "EX", "100"], ["SET", "s", "3", "NX"], ["SET", "n", "x", "XX"],
        ["INCR", "i"], ["INCRBY", "i", "5"], ["DECR", "i"], ["INCRBYFLOAT", "f", "1.5"], ["APPEND", "s", "x"],
        ["MSET", "m1", "a", "m2", "b"], ["GETDEL", "m1"], ["GETDEL", "m1"],
        ["EXPIRE", "s", "100"], ["PERSIST", "s"], ["PERSIST", "s"], ["PEXPIRE", "m2", "-1"],
        ["RENAME", "s", "s2"], ["DEL", "s2", "nosuch", "i"],
        ["LPUSH", "l", "a", "b"], ["RPUSH", "l", "c"], ["LPOP", "l"], ["RPOP", "l", "2"], ["LPOP", "l"],
        ["SADD", "set", "a", "b"], ["SADD", "set", "a"], ["SREM", "set", "a", "x"], ["SREM", "set", "b"],
        ["HSET", "h", "f", "v", "g", "w"], ["HSET", "h", "f", "v"], ["HDEL", "h", "f", "nosuch"], ["HDEL", "h", "g"],
        ["ZADD", "z", "1", "a", "2", "b"], ["ZADD", "z", "1", "a"], ["ZADD", "z", "5", "a"], ["ZINCRBY", "z", "1", "b"],
        ["ZREM", "z", "a"], ["ZREM", "z", "b"], ["ZADD", "z2", "XX", "1", "a"],
        ["SET", "t", "v", "PX", "1"], nil, ["GET", "t"],
        ["LPUSH", "tl", "x"], ["PEXPIRE", "tl", "1"], nil, ["LLEN", "tl"],
        ["EVAL", "redis.call('SET', KEYS[1], 'v'); return redis.call('DEL', KEYS[1])", "1", "lua"],
    ]

    static let settings = ["KEA", "KA", "EA", "E$", "Kgx", "El", "Ks", "Ehz", "K", "gxE"]

    @Test(arguments: settings)
    func sameMessagesAsRedis(_ setting: String) async throws {
        let reference = try RedisServer.with { server -> [String] in
            let client = try server.connect()
            let listener = try server.connect()
            _ = try client.call("FLUSHALL")
            _ = try client.call("CONFIG", "SET", "notify-keyspace-events", setting)
            _ = try listener.call("PSUBSCRIBE", "__key*__:*")
            _ = try listener.call("SUBSCRIBE", "end")
            for argv in Self.script {
                guard let argv else { usleep(20_000); continue }
                _ = try client.call(argv)
            }
            _ = try client.call("PUBLISH", "end", "end")
            var messages: [String] = []
            while true {
                guard case .array(let parts) = try listener.receive() else { continue }
                let texts = parts.map { $0.byteStringValue?.string ?? "" }
                if texts.first == "message" { break }
                messages.append(texts.dropFirst(2).joined(separator: " "))
            }
            return messages
        }
        let store = LuaStore()
        _ = store.execute(["CONFIG", "SET", "notify-keyspace-events", ByteString(setting)])
        let subscription = store.subscribe([], patterns: ["__key*__:*"])
        for argv in Self.script {
            guard let argv else { usleep(20_000); continue }
            _ = store.execute(argv)
        }
        subscription.cancel()
        var subject: [String] = []
        for await message in subscription { subject.append("\(message.channel.string) \(message.payload.string)") }
        #expect(subject == reference, "notify-keyspace-events \(setting)")
    }

    /// CONFIG SET's letters and errors, and CONFIG GET's normalised form.
    @Test func configLetters() throws {
        var commands: [[ByteString]] = []
        for letters in ["", "KEA", "AKE", "Ex", "g$lshzxetd", "mnKg", "KEAmn", "x", "q", "KEn", "Ah", "AKEq", "kea"] {
            commands.append(["CONFIG", "SET", "notify-keyspace-events", ByteString(letters)])
            commands.append(["CONFIG", "GET", "notify-keyspace-events"])
        }
        commands.append(["CONFIG", "GET", "notify-*"])
        try IntrospectionTests.compare(commands)
    }
}
