import LuaStore
import Testing

/// Fixed command lists for the introspection commands, compared with a real redis-server
/// (started with the compact-encoding limits of `RedisServer.encodingLimits`). Each list
/// starts from empty stores; every reply must be the same, except where a judgement says
/// otherwise.
@Suite("Introspection vs redis-server")
struct IntrospectionTests {
    /// Runs `commands` on both sides (after FLUSHALL) and records every difference.
    static func compare(
        _ commands: [[ByteString]], protocolVersion: RESPVersion = .resp2,
        judge: ([ByteString], Reply, Reply) -> String? = { _, r, s in r == s ? nil : "replies differ" },
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try RedisServer.with { server in
            let client = try server.connect()
            let store = LuaStore()
            if protocolVersion == .resp3 { _ = try client.hello(3) }
            _ = try client.call("FLUSHALL")
            let replies = try client.send(commands)
            for (argv, reference) in zip(commands, replies) {
                let subject = store.execute(argv, protocol: protocolVersion)
                if let reason = judge(argv, reference, subject) {
                    Issue.record(Comment(rawValue: """
                        \(reason)
                          command:      \(describeArgv(argv))
                          redis-server: \(reference.diffDescription)
                          LuaStore:     \(subject.diffDescription)
                        """), sourceLocation: sourceLocation)
                }
            }
        }
    }

    static func numbered(_ prefix: String, _ range: ClosedRange<Int>) -> [ByteString] {
        range.map { ByteString("\(prefix)\($0)") }
    }

    /// OBJECT ENCODING and REFCOUNT of strings: `int` for canonical 64-bit integers,
    /// `embstr` up to 44 bytes, `raw` beyond; the shared integers 0...9999.
    @Test func stringEncodings() throws {
        let values: [ByteString] = [
            "0", "1", "9999", "10000", "-1", "123", "007", "-0", "+1", " 1", "1.5", "", "abc",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            ByteString(String(repeating: "x", count: 44)), ByteString(String(repeating: "x", count: 45)),
            ByteString(String(repeating: "7", count: 20)), ByteString(String(repeating: "y", count: 200)),
        ]
        var commands: [[ByteString]] = []
        for (i, value) in values.enumerated() {
            let key = ByteString("s\(i)")
            commands += [["SET", key, value], ["OBJECT", "ENCODING", key], ["OBJECT", "REFCOUNT", key]]
        }
        commands += [
            ["INCR", "counter"], ["OBJECT", "ENCODING", "counter"], ["OBJECT", "REFCOUNT", "counter"],
            ["INCRBY", "counter", "20000"], ["OBJECT", "ENCODING", "counter"], ["OBJECT", "REFCOUNT", "counter"],
            ["MSET", "m1", "5", "m2", "xyz"], ["OBJECT", "ENCODING", "m1"], ["OBJECT", "ENCODING", "m2"],
        ]
        try Self.compare(commands)
    }

    /// Collections at and just past Redis 7.0's thresholds (intset 512 entries; zset
    /// listpack 128 entries, 64-byte members; hash listpack 128 entries as the test server
    /// is configured, 64-byte fields and values). 7.0 has no listpack sets and no listpack
    /// lists.
    @Test func collectionEncodings() throws {
        let long64 = ByteString(String(repeating: "m", count: 64))
        let long65 = ByteString(String(repeating: "m", count: 65))
        var commands: [[ByteString]] = [
            ["RPUSH", "l1", "a"], ["RPUSH", "l2"] + Self.numbered("e", 1...1000), ["RPUSH", "l3", long65],
            ["SADD", "i512"] + Self.numbered("", 1...512), ["SADD", "i513"] + Self.numbered("", 1...513),
            ["SADD", "sa", "a"], ["SADD", "s128"] + Self.numbered("m", 1...128), ["SADD", "s129"] + Self.numbered("m", 1...129),
            ["SADD", "mixed", "1", "2"], ["SADD", "mixed", "x"], ["SREM", "mixed", "x"],
            ["SADD", "neg", "-5", "9223372036854775807", "-9223372036854775808"],
            ["SADD", "nonint", "007"], ["SADD", "long", long65],
            ["ZADD", "z128"] + Self.numbered("m", 1...128).flatMap { ["1", $0] },
            ["ZADD", "z129"] + Self.numbered("m", 1...129).flatMap { ["1", $0] },
            ["ZADD", "z64", "1", long64], ["ZADD", "z65", "1", long65],
            ["ZADD", "zdown"] + Self.numbered("m", 1...129).flatMap { ["1", $0] }, ["ZREM", "zdown", "m1", "m2"],
            ["ZUNIONSTORE", "zu", "1", "z128"], ["ZRANGESTORE", "zr", "z129", "0", "9"],
            ["HSET", "h128"] + Self.numbered("f", 1...128).flatMap { [$0, "v"] },
            ["HSET", "h129"] + Self.numbered("f", 1...129).flatMap { [$0, "v"] },
            ["HSET", "hv64", "f", long64], ["HSET", "hv65", "f", long65], ["HSET", "hf65", long65, "v"],
            ["HSET", "hdown"] + Self.numbered("f", 1...129).flatMap { [$0, "v"] }, ["HDEL", "hdown", "f1", "f2"],
            ["SINTERSTORE", "si", "i512", "i513"], ["SUNIONSTORE", "su", "sa", "i512"],
            ["COPY", "z128", "zcopy"], ["COPY", "i513", "icopy"],
        ]
        for key: ByteString in [
            "l1", "l2", "l3", "i512", "i513", "sa", "s128", "s129", "mixed", "neg", "nonint", "long", "z128", "z129",
            "z64", "z65", "zdown", "zu", "zr", "h128", "h129", "hv64", "hv65", "hf65", "hdown", "si", "su", "zcopy",
            "icopy",
        ] {
            commands += [["OBJECT", "ENCODING", key], ["OBJECT", "REFCOUNT", key]]
        }
        try Self.compare(commands)
    }

    /// FREQ without an LFU policy, IDLETIME, HELP, missing keys, arities and unknown
    /// subcommands. IDLETIME only has to be a count of seconds (LuaStore's is 0).
    @Test func objectSubcommands() throws {
        let commands: [[ByteString]] = [
            ["SET", "k", "v"], ["SET", "n", "5"],
            ["OBJECT", "FREQ", "k"], ["OBJECT", "FREQ", "missing"], ["OBJECT", "freq", "n"],
            ["OBJECT", "IDLETIME", "k"], ["OBJECT", "IDLETIME", "missing"],
            ["OBJECT", "ENCODING", "missing"], ["OBJECT", "REFCOUNT", "missing"],
            ["OBJECT", "HELP"], ["object", "help"], ["OBJECT", "HELP", "x"],
            ["OBJECT"], ["OBJECT", "ENCODING"], ["OBJECT", "ENCODING", "k", "x"], ["OBJECT", "FREQ"],
            ["OBJECT", "foo"], ["object", "foo", "k"], ["OBJECT", "foo\r\nbar"], ["OBJECT", ""],
            ["EVAL", "return redis.call('object', 'encoding', KEYS[1])", "1", "k"],
            ["EVAL", "return redis.pcall('object', 'foo', KEYS[1])", "1", "k"],
            ["EVAL", "return redis.pcall('object', 'encoding')", "0"],
        ]
        try Self.compare(commands) { argv, reference, subject in
            if argv.count == 3, argv[1].asciiLowercased() == "idletime", case .integer = reference,
               case .integer(let seconds) = subject {
                return seconds == 0 ? nil : "IDLETIME is not 0"
            }
            return reference == subject ? nil : "replies differ"
        }
    }
}
