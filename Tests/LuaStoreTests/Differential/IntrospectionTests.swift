import LuaStore
import Testing
import TestSupport

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

/// COMMAND and its subcommands against redis-server: the command table's data must be
/// Redis's for every command LuaStore has.
@Suite("COMMAND vs redis-server")
struct CommandIntrospectionTests {
    /// LuaStore's command names, STICK (not in Redis) left out.
    static let names: [ByteString] = {
        guard case .array(let names) = LuaStore().execute(["COMMAND", "LIST"]) else { return [] }
        return names.compactMap(\.byteStringValue).filter { $0 != "stick" }
    }()

    /// Elements of an array, set, or (flattened) map.
    static func elements(_ reply: Reply) -> [Reply] {
        switch reply {
        case .array(let items), .set(let items): return items
        case .map(let entries): return entries.flatMap { [$0.key, $0.value] }
        default: return []
        }
    }

    /// A COMMAND INFO entry with its subcommands sorted by name and, on the reference side,
    /// reduced to those LuaStore has (`keep`).
    static func normalisedInfo(_ reply: Reply, keep: Set<ByteString>?) -> Reply {
        guard case .array(var fields) = reply, fields.count == 10 else { return reply }
        var subs = elements(fields[9]).map { normalisedInfo($0, keep: keep) }
        if let keep {
            subs = subs.filter { sub in Self.elements(sub).first?.byteStringValue.map(keep.contains) ?? false }
        }
        subs.sort { ($0.arrayValue?.first?.stringValue ?? "") < ($1.arrayValue?.first?.stringValue ?? "") }
        switch fields[9] {
        case .set: fields[9] = .set(subs)
        default: fields[9] = .array(subs)
        }
        return .array(fields)
    }

    /// A COMMAND DOCS document without `arguments` (LuaStore leaves them out), its
    /// subcommands sorted and reduced to `keep`.
    static func normalisedDoc(_ reply: Reply, keep: Set<ByteString>?) -> Reply {
        rewritingPairs(of: reply) { pairs in
            pairs.removeAll { $0.0 == .bulk("arguments") }
            pairs = pairs.map { key, value in
                guard key == .bulk("subcommands") else { return (key, value) }
                return (key, normalisedDocs(value, keep: keep))
            }
        }
    }

    /// A COMMAND DOCS reply (name -> document), sorted by name, reduced to `keep`.
    static func normalisedDocs(_ reply: Reply, keep: Set<ByteString>?) -> Reply {
        rewritingPairs(of: reply) { pairs in
            if let keep { pairs = pairs.filter { $0.0.byteStringValue.map(keep.contains) ?? false } }
            pairs = pairs.map { ($0.0, normalisedDoc($0.1, keep: keep)) }
            pairs.sort { ($0.0.stringValue ?? "") < ($1.0.stringValue ?? "") }
        }
    }

    /// `reply`'s key/value pairs (a RESP3 map, or a RESP2 flat array of pairs) changed by
    /// `change`, in the same kind of reply; any other reply as it is.
    static func rewritingPairs(of reply: Reply, _ change: (inout [(Reply, Reply)]) -> Void) -> Reply {
        var pairs: [(Reply, Reply)]
        let isMap: Bool
        switch reply {
        case .map(let entries): pairs = entries.map { ($0.key, $0.value) }; isMap = true
        case .array(let items): pairs = Judgement.pairs(items).map { ($0[0], $0[1]) }; isMap = false
        default: return reply
        }
        change(&pairs)
        return isMap ? .map(pairs.map { Reply.MapEntry(key: $0.0, value: $0.1) }) : .array(pairs.flatMap { [$0.0, $0.1] })
    }

    /// Every command name LuaStore lists, subcommands included.
    static let luaStoreNames: Set<ByteString> = Set(names)

    static func infoJudge(_ argv: [ByteString], _ reference: Reply, _ subject: Reply) -> String? {
        let r = Reply.array(elements(reference).map { normalisedInfo($0, keep: luaStoreNames) })
        let s = Reply.array(elements(subject).map { normalisedInfo($0, keep: nil) })
        return r == s ? nil : "COMMAND INFO differs (subcommands compared by name)"
    }

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func info(protocolVersion: RESPVersion) throws {
        var commands: [[ByteString]] = Self.names.map { ["COMMAND", "INFO", $0] }
        commands.append(["COMMAND", "INFO", "get", "nosuch", "object|encoding", "OBJECT|ENCODING", "get|x", "a|b|c", "object|", "GeT"])
        commands.append(["COMMAND", "INFO", "script", "function", "command"])
        try IntrospectionTests.compare(commands, protocolVersion: protocolVersion, judge: Self.infoJudge)
    }

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func docs(protocolVersion: RESPVersion) throws {
        var commands: [[ByteString]] = Self.names.map { ["COMMAND", "DOCS", $0] }
        commands.append(["COMMAND", "DOCS", "get", "nosuch", "object|encoding", "get", "getset", "set"])
        commands.append(["COMMAND", "DOCS", "nosuch"])
        try IntrospectionTests.compare(commands, protocolVersion: protocolVersion) { _, reference, subject in
            Self.normalisedDocs(reference, keep: Self.luaStoreNames) == Self.normalisedDocs(subject, keep: nil)
                ? nil : "COMMAND DOCS differs (arguments left out, subcommands compared by name)"
        }
    }

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func getKeys(protocolVersion: RESPVersion) throws {
        let cases: [[ByteString]] = [
            [], ["nosuch", "a"], ["ping"], ["get"], ["get", "a", "b"], ["get", "a"], ["GeT", "a"],
            ["mset", "a", "1", "b", "2"], ["mset", "a", "1", "b"], ["mget", "a", "b", "c"],
            ["set", "a", "b"], ["set", "a", "b", "GET"], ["set", "a", "b", "get", "EX", "1"],
            ["eval", "x", "0"], ["eval", "x", "2", "a", "b", "c"], ["eval", "x", "3", "a", "b"], ["eval", "x", "-1", "a"],
            ["eval", "x", "abc", "a"], ["eval", "x", "1abc", "a"], ["eval_ro", "x", "1", "a"], ["evalsha", "x", "1", "a"],
            ["fcall", "f", "1", "a"], ["fcall_ro", "f", "2", "a", "b"],
            ["zunionstore", "d", "2", "a", "b"], ["zunionstore", "d", "3", "a", "b"], ["zunionstore", "d", "0", "a", "b"],
            ["zunionstore", "d", "1abc", "a", "b"], ["zinterstore", "d", "1", "a", "WEIGHTS", "2"],
            ["zdiffstore", "d", "2", "a", "b"], ["zunion", "2", "a", "b"], ["zunion", "3", "a", "b"], ["zunion", "0", "a"],
            ["zinter", "1", "a", "WITHSCORES"], ["zdiff", "2", "a", "b"], ["zintercard", "2", "a", "b", "LIMIT", "1"],
            ["lmpop", "2", "a", "b", "LEFT"], ["lmpop", "3", "a", "b", "LEFT"], ["lmpop", "0", "a", "LEFT"],
            ["blmpop", "0", "2", "a", "b", "LEFT"], ["sintercard", "2", "a", "b"], ["sintercard", "5", "a", "b"],
            ["zmpop", "1", "a", "MIN"], ["blpop", "a", "b", "0"], ["brpoplpush", "a", "b", "0"], ["blmove", "a", "b", "LEFT", "RIGHT", "0"],
            ["lmove", "a", "b", "LEFT", "RIGHT"], ["rpoplpush", "a", "b"], ["smove", "a", "b", "m"], ["rename", "a", "b"],
            ["copy", "a", "b"], ["sinterstore", "d", "a", "b"], ["zrangestore", "d", "s", "0", "1"], ["bzpopmin", "a", "b", "1"],
            ["object", "encoding", "k"], ["object", "help"], ["object"], ["object", "nosuch", "k"], ["script", "load", "x"],
            ["keys", "*"], ["scan", "0"], ["command", "info"], ["getdel", "a"], ["hset", "h", "f", "v"], ["del", "a", "b", "c"],
            ["bitfield", "b"], ["bitfield", "b", "GET", "u8", "0"], ["bitfield", "b", "get", "u8", "0", "OVERFLOW", "SAT"],
            ["bitfield", "b", "GET", "u8", "0", "SET", "u8", "0", "1"], ["bitfield", "b", "incrby", "i5", "#1", "1"],
            ["bitfield", "b", "GET", "u8"], ["bitfield", "b", "bogus"], ["bitfield_ro", "b", "GET", "u8", "0"],
            ["bitop", "AND", "d", "a", "b"], ["bitop", "NOT", "d", "a"], ["setbit", "b", "1", "1"], ["bitcount", "b"],
            ["pfadd", "h", "a"], ["pfcount", "h", "i", "j"], ["pfmerge", "h", "i", "j"], ["pfmerge", "h"],
            ["sort", "a", "BY", "x", "STORE", "b", "LIMIT", "0", "1", "STORE", "c"], ["sort", "a", "store", "limit", "1", "2", "x"],
            ["sort", "a", "STORE"], ["sort", "a", "get", "store", "by", "store"], ["sort_ro", "a", "get", "y", "STORE", "b"],
            ["lcs", "a", "b"], ["lcs", "a"], ["bzmpop", "0", "2", "a", "b", "MIN"], ["bzmpop", "0", "3", "a", "b"],
        ]
        var commands: [[ByteString]] = []
        for argv in cases {
            commands.append(["COMMAND", "GETKEYS"] + argv)
            commands.append(["COMMAND", "GETKEYSANDFLAGS"] + argv)
        }
        try IntrospectionTests.compare(commands, protocolVersion: protocolVersion)
    }

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func listAndOthers(protocolVersion: RESPVersion) throws {
        let listCommands: [[ByteString]] = [
            ["COMMAND", "LIST"], ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "hash"], ["COMMAND", "LIST", "FILTERBY", "aclcat", "KEYSPACE"],
            ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "scripting"], ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "slow"],
            ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"], ["COMMAND", "LIST", "FILTERBY", "MODULE", "x"],
            ["COMMAND", "LIST", "FILTERBY", "PATTERN", "obj*"], ["COMMAND", "LIST", "FILTERBY", "PATTERN", "*|enc*"],
            ["COMMAND", "LIST", "FILTERBY", "PATTERN", "Z*STORE"], ["COMMAND", "LIST", "FILTERBY", "pattern", "?et"],
        ]
        let exactCommands: [[ByteString]] = [
            ["COMMAND", "LIST", "FILTERBY"], ["COMMAND", "LIST", "FILTERBY", "bogus", "x"], ["COMMAND", "LIST", "x"],
            ["COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "b"], ["COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "FILTERBY", "PATTERN", "b"],
            ["COMMAND", "bogus"], ["COMMAND", "HELP"], ["command", "help", "x"], ["COMMAND", "COUNT", "x"], ["COMMAND", "GETKEYS"],
            ["COMMAND", "GETKEYS", "get"], ["COMMAND", "DOCS", "nosuch"],
            ["EVAL", "return redis.call('command', 'getkeys', 'get', 'k')", "0"],
            ["EVAL", "return #redis.call('command', 'info', 'get')", "0"],
        ]
        try IntrospectionTests.compare(listCommands + exactCommands, protocolVersion: protocolVersion) { argv, reference, subject in
            guard argv.count > 1, argv[1].asciiLowercased() == "list", case .array(let r) = reference, case .array(let s) = subject else {
                return reference == subject ? nil : "replies differ"
            }
            let expected = Set(r.compactMap(\.byteStringValue)).intersection(Self.luaStoreNames)
            let got = Set(s.compactMap(\.byteStringValue)).subtracting(["stick"])
            guard s.count == Set(s).count else { return "COMMAND LIST repeats a name" }
            return expected == got ? nil : "COMMAND LIST differs on LuaStore's commands: missing \(expected.subtracting(got).map(\.string).sorted()), extra \(got.subtracting(expected).map(\.string).sorted())"
        }
    }

    /// COMMAND COUNT counts LuaStore's commands; COMMAND and COMMAND INFO list them all.
    @Test func countMatchesTheTable() {
        let store = LuaStore()
        guard case .integer(let count) = store.execute(["COMMAND", "COUNT"]),
              case .array(let all) = store.execute(["COMMAND"]),
              case .array(let info) = store.execute(["COMMAND", "INFO"]),
              case .array(let names) = store.execute(["COMMAND", "LIST"]) else {
            Issue.record("COMMAND replies")
            return
        }
        #expect(Int(count) == all.count)
        #expect(all == info)
        let topLevel = names.compactMap(\.stringValue).filter { !$0.contains("|") }
        #expect(topLevel.count == all.count)
        // Every command and subcommand has its documentation.
        for name in names.compactMap(\.byteStringValue) {
            guard case .array(let doc) = store.execute(["COMMAND", "DOCS", name]), doc.count == 2,
                  case .array(let fields) = doc[1] else {
                Issue.record("COMMAND DOCS \(name.string)")
                continue
            }
            #expect(fields.first == .bulk("summary"), "\(name.string) has no summary")
        }
    }
}
