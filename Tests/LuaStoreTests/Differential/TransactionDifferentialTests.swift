import LuaStore
import LuaStoreCore
import Testing
import TestSupport

/// MULTI / EXEC / DISCARD / WATCH / UNWATCH / HELLO through one ``Session`` against one
/// connection to a real redis-server, command by command: both sides keep per-client
/// state, so each sequence runs on its own fresh session and connection.
@Suite("Sessions and transactions vs redis-server")
struct TransactionDifferentialTests {
    static let sequences: [[[ByteString]]] = [
        // Queue, run, run-time errors stay per command.
        [["MULTI"], ["SET", "a", "1"], ["INCR", "a"], ["LPUSH", "a", "x"], ["GET", "a"], ["EXEC"], ["GET", "a"]],
        // Queue-time errors abort the whole transaction.
        [["MULTI"], ["SET", "a", "1"], ["NOSUCH", "x"], ["EXEC"], ["GET", "a"]],
        [["MULTI"], ["GET"], ["SET", "b", "2"], ["EXEC"], ["EXISTS", "b"]],
        [["MULTI"], ["OBJECT", "NOSUCH"], ["EXEC"]],
        // Nesting, misplaced commands, arities.
        [["MULTI"], ["MULTI"], ["WATCH", "a"], ["SET", "a", "1"], ["EXEC"], ["GET", "a"]],
        [["EXEC"], ["DISCARD"], ["EXEC", "x"], ["DISCARD", "x"], ["MULTI", "x"], ["WATCH"], ["UNWATCH", "x"]],
        [["MULTI"], ["EXEC", "x"], ["EXEC"], ["SET", "k", "v"]],
        [["MULTI"], ["SET", "a", "1"], ["DISCARD"], ["GET", "a"], ["EXEC"]],
        [["MULTI"], ["EXEC"]],
        [["MULTI"], ["UNWATCH"], ["PING"], ["ECHO", "hi"], ["EXEC"]],
        // WATCH: a change by this client aborts; no change runs; UNWATCH forgets.
        [["SET", "w", "1"], ["WATCH", "w"], ["SET", "w", "2"], ["MULTI"], ["INCR", "w"], ["EXEC"], ["GET", "w"]],
        [["SET", "w", "1"], ["WATCH", "w", "other"], ["GET", "w"], ["MULTI"], ["INCR", "w"], ["EXEC"], ["GET", "w"]],
        [["WATCH", "w"], ["SET", "w", "2"], ["UNWATCH"], ["MULTI"], ["INCR", "w"], ["EXEC"]],
        [["WATCH", "w"], ["SET", "w", "2"], ["MULTI"], ["DISCARD"], ["MULTI"], ["INCR", "w"], ["EXEC"]],
        [["WATCH", "w"], ["DEL", "w"], ["MULTI"], ["PING"], ["EXEC"]],
        [["WATCH", "w"], ["SET", "w", "1", "PX", "1"], ["MULTI"], ["PING"], ["EXEC"]],
        [["WATCH", "w"], ["FLUSHALL"], ["MULTI"], ["PING"], ["EXEC"]],
        [["SET", "w", "1"], ["WATCH", "w"], ["FLUSHALL"], ["MULTI"], ["PING"], ["EXEC"]],
        [["WATCH", "w"], ["EVAL", "return redis.call('SET', KEYS[1], 'x')", "1", "w"], ["MULTI"], ["PING"], ["EXEC"]],
        [["WATCH", "w"], ["EVAL", "return redis.call('MULTI')", "0"], ["MULTI"], ["PING"], ["EXEC"]],
        [["WATCH", "w"], ["EXEC"], ["MULTI"], ["EXEC"]],
        // Scripts and several keys inside EXEC.
        [["MULTI"], ["EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"], ["MSET", "x", "1", "y", "2"], ["MGET", "x", "y", "n"], ["FLUSHALL"], ["DBSIZE"], ["EXEC"]],
        // HELLO: protocol switches carry to later commands; errors.
        [["HELLO", "4"], ["HELLO", "x"], ["HELLO", "2", "SETNAME"], ["HELLO", "3", "AUTH", "someone", "pw"], ["HELLO", "2", "FOO"], ["HELLO", "3", "SETNAME", "a b"]],
        [["HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me"], ["HSET", "h", "f", "v"], ["HGETALL", "h"], ["WATCH", "h"], ["HSET", "h", "f", "w"], ["MULTI"], ["HGETALL", "h"], ["EXEC"], ["HELLO", "2"], ["HGETALL", "h"]],
        [["MULTI"], ["HELLO", "3"], ["ZADD", "z", "1.5", "m"], ["ZSCORE", "z", "m"], ["EXEC"], ["ZSCORE", "z", "m"]],
        [["HELLO"], ["HELLO", "3"], ["HELLO"]],
    ]

    /// HELLO's `id` is a client id, which differs between the two sides: compared as 0.
    static func normalized(_ reply: Reply) -> Reply {
        switch reply {
        case .map(let entries):
            guard entries.contains(where: { $0.key == .bulk("server") }) else { return reply }
            return .map(entries.map { $0.key == .bulk("id") ? .init(key: $0.key, value: .integer(0)) : $0 })
        case .array(let items):
            if items.count == 14, items.first == .bulk("server"), items[6] == .bulk("id") {
                var copy = items
                copy[7] = .integer(0)
                return .array(copy)
            }
            return .array(items.map(normalized))
        default:
            return reply
        }
    }

    @Test func sameRepliesAsRedis() throws {
        try RedisServer.with { server in
            let store = LuaStore()
            for sequence in Self.sequences {
                let client = try server.connect()
                _ = try client.call("FLUSHALL")
                _ = store.execute(["FLUSHALL"])
                let session = store.session()
                for argv in sequence {
                    let reference = Self.normalized(try client.call(argv))
                    let subject = Self.normalized(session.execute(argv))
                    #expect(reference == subject, """
                        command: \(argv.map(\.string).joined(separator: " ")) in \(sequence.map { $0.map(\.string).joined(separator: " ") })
                          redis-server: \(reference)
                          LuaStore:     \(subject)
                        """)
                }
            }
        }
    }

    /// Random sequences of transaction commands, queue-time and run-time errors, and
    /// writes by this client and by another, on one session and one connection each.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomSequencesMatchRedis(seed: UInt64) throws {
        let pool: [[ByteString]] = [
            ["MULTI"], ["MULTI"], ["EXEC"], ["EXEC"], ["DISCARD"], ["WATCH", "a"], ["WATCH", "a", "b"], ["UNWATCH"],
            ["SET", "a", "1"], ["INCR", "a"], ["INCR", "b"], ["GET", "a"], ["MGET", "a", "b"], ["LPUSH", "b", "x"],
            ["DEL", "a"], ["NOSUCH"], ["GET"], ["EXEC", "x"], ["SET", "b", "1", "NX"], ["HELLO", "3"], ["HELLO", "2"],
        ]
        try RedisServer.with { server in
            let store = LuaStore()
            let client = try server.connect(), other = try server.connect()
            let session = store.session()
            var random = SplitMix64(seed: seed)
            for step in 0..<400 {
                let byOther = random.next() % 6 == 0
                let argv = pool[Int(random.next() % UInt64(pool.count))]
                if byOther {
                    guard !["MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "HELLO"].contains(argv[0].string) else { continue }
                    let reference = try other.call(argv)
                    #expect(reference == store.execute(argv), "seed \(seed) step \(step): other client's \(argv.map(\.string))")
                    continue
                }
                let reference = Self.normalized(try client.call(argv))
                let subject = Self.normalized(session.execute(argv))
                #expect(reference == subject, "seed \(seed) step \(step): \(argv.map(\.string))")
            }
        }
    }

    /// A change by another client (a plain write, a script, a FLUSHALL) aborts EXEC.
    @Test func changesByOthersAbortExec() throws {
        let changes: [[ByteString]] = [
            ["SET", "w", "other"], ["DEL", "w"], ["APPEND", "w", "x"], ["RENAME", "src", "w"], ["LPUSH", "w", "e"],
            ["EVAL", "return redis.call('SET', KEYS[1], 'x')", "1", "w"], ["FLUSHALL"], ["EXPIRE", "w", "100"],
            ["SET", "unrelated", "x"],
        ]
        try RedisServer.with { server in
            let store = LuaStore()
            for change in changes {
                let client = try server.connect(), other = try server.connect()
                let session = store.session()
                for argv: [ByteString] in [["FLUSHALL"], ["SET", "w", "1"], ["SET", "src", "s"]] {
                    _ = try client.call(argv)
                    store.execute(argv)
                }
                let steps: [[ByteString]] = [["WATCH", "w"], ["MULTI"], ["GET", "w"]]
                for argv in steps { #expect(try client.call(argv) == session.execute(argv)) }
                let reference = try other.call(change)
                #expect(reference == store.execute(change))
                let exec = try client.call("EXEC")
                #expect(exec == session.execute(["EXEC"]), "after \(change.map(\.string)) (redis-server answered \(reference))")
            }
        }
    }
}
