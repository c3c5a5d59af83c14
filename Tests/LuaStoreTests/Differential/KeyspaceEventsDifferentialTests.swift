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
        ["RPUSH", "l2", "a", "b", "a", "c"], ["LSET", "l2", "0", "x"], ["LINSERT", "l2", "BEFORE", "b", "y"],
        ["LINSERT", "l2", "BEFORE", "nosuch", "y"], ["LREM", "l2", "0", "a"], ["LREM", "l2", "0", "q"],
        ["LREM", "l2", "0", "x"], ["LREM", "l2", "0", "y"], ["LREM", "l2", "0", "b"], ["LREM", "l2", "0", "c"],
        ["HSETNX", "h2", "f", "1"], ["HSETNX", "h2", "f", "2"], ["HINCRBY", "h2", "f", "3"], ["HINCRBYFLOAT", "h2", "f", "0.5"],
        ["ZADD", "z3", "1", "a", "2", "b", "3", "c"], ["ZPOPMIN", "z3"], ["ZPOPMAX", "z3", "5"], ["ZPOPMIN", "z3"],
        ["SADD", "s3", "a", "b", "c"], ["SPOP", "s3"], ["SPOP", "s3", "0"], ["SPOP", "s3", "1"], ["SPOP", "s3"],
        ["SADD", "s4", "a", "b"], ["SPOP", "s4", "5"],
        ["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
        ["GEOSEARCHSTORE", "gd", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km"],
        ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "gd"],
        ["GEOSEARCHSTORE", "gd", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
        ["GEOSEARCHSTORE", "gd", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
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
