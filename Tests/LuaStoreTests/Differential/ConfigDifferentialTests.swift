import LuaStore
import Testing
import TestSupport

/// CONFIG against a real redis-server: every reply for the parameters LuaStore has is
/// Redis's, errors byte for byte; CONFIG GET's pairs are compared as a set (Redis lists
/// them in its hash table's order, which a random seed decides).
@Suite("CONFIG vs redis-server")
struct ConfigDifferentialTests {
    /// Name/value pairs of a CONFIG GET reply, RESP2 or RESP3.
    static func pairs(_ reply: Reply) -> Set<[ByteString]>? {
        switch reply {
        case .array(let items):
            let bulks = items.compactMap(\.byteStringValue)
            guard bulks.count == items.count, bulks.count % 2 == 0 else { return nil }
            return Set(stride(from: 0, to: bulks.count, by: 2).map { [bulks[$0], bulks[$0 + 1]] })
        case .map(let entries):
            return Set(entries.compactMap { e in e.key.byteStringValue.flatMap { k in e.value.byteStringValue.map { [k, $0] } } })
        default: return nil
        }
    }

    static func judge(_ argv: [ByteString], _ reference: Reply, _ subject: Reply) -> String? {
        if argv.count > 1, argv[1].asciiLowercased() == "get", case .error = reference {} else if argv.count > 1,
           argv[1].asciiLowercased() == "get" {
            return pairs(reference) == pairs(subject) ? nil : "CONFIG GET pairs differ"
        }
        return reference == subject ? nil : "replies differ"
    }

    static let commands: [[ByteString]] = [
        ["CONFIG", "GET", "maxmemory"], ["CONFIG", "GET", "maxmemory-policy"], ["CONFIG", "GET", "maxmemory-samples"],
        ["CONFIG", "GET", "lfu-log-factor", "lfu-decay-time"], ["CONFIG", "GET", "busy-reply-threshold", "lua-time-limit"],
        ["CONFIG", "GET", "MAXMEMORY"], ["CONFIG", "GET", "maxmemory", "MaxMemory", "maxmemory"], ["CONFIG", "GET", "lua*"],
        ["CONFIG", "GET", "no-such-parameter"], ["CONFIG", "GET", "lfu-*"], ["CONFIG", "GET", "*policy*"],
        ["CONFIG", "SET", "maxmemory", "100mb"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "2GB"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "10k"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "5kB"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "5b"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", ""], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "99999999999999999999"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "100000000000gb"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "abc"], ["CONFIG", "SET", "maxmemory", "1.5mb"], ["CONFIG", "SET", "maxmemory", "-1"],
        ["CONFIG", "SET", "maxmemory", "+5"], ["CONFIG", "SET", "maxmemory", " 5"], ["CONFIG", "SET", "maxmemory", "0x10"],
        ["CONFIG", "SET", "maxmemory", "1e3"], ["CONFIG", "SET", "MAXMEMORY", "abc"],
        ["CONFIG", "SET", "maxmemory", "0"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"], ["CONFIG", "GET", "maxmemory-policy"],
        ["CONFIG", "SET", "maxmemory-policy", "volatile-ttl"], ["CONFIG", "GET", "maxmemory-policy"],
        ["CONFIG", "SET", "maxmemory-samples", "0"], ["CONFIG", "SET", "maxmemory-samples", "abc"],
        ["CONFIG", "SET", "maxmemory-samples", "2147483648"], ["CONFIG", "SET", "maxmemory-samples", "05"],
        ["CONFIG", "SET", "maxmemory-samples", "+5"], ["CONFIG", "SET", "maxmemory-samples", "64"],
        ["CONFIG", "GET", "maxmemory-samples"],
        ["CONFIG", "SET", "lfu-log-factor", "-1"], ["CONFIG", "SET", "lfu-log-factor", "1.5"],
        ["CONFIG", "SET", "lfu-decay-time", "-1"], ["CONFIG", "SET", "lfu-log-factor", "0", "lfu-decay-time", "0"],
        ["CONFIG", "GET", "lfu-log-factor", "lfu-decay-time"],
        ["CONFIG", "SET", "lua-time-limit", "abc"], ["CONFIG", "SET", "LUA-TIME-LIMIT", "-1"],
        ["CONFIG", "SET", "lua-time-limit", "100"], ["CONFIG", "GET", "busy-reply-threshold"],
        ["CONFIG", "SET", "lua-time-limit", "1", "busy-reply-threshold", "2"], ["CONFIG", "GET", "lua-time-limit"],
        ["CONFIG", "SET", "busy-reply-threshold", "5000"],
        ["CONFIG", "SET", "MaxMemory", "1", "MAXMEMORY", "2"], ["CONFIG", "SET", "maxmemory", "abc", "Foo", "1"],
        ["CONFIG", "SET", "Foo", "1", "maxmemory", "abc"], ["CONFIG", "SET", "foo", "bar"],
        ["CONFIG", "SET", "maxmemory", "1mb", "maxmemory-samples", "0"], ["CONFIG", "GET", "maxmemory"],
        ["CONFIG", "SET", "maxmemory", "5", "5"], ["CONFIG", "SET", "maxmemory"], ["CONFIG", "GET"], ["CONFIG"],
        ["CONFIG", "FOO"], ["CONFIG", "RESETSTAT"], ["CONFIG", "RESETSTAT", "x"], ["CONFIG", "REWRITE"], ["CONFIG", "HELP"],
        ["CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "maxmemory-samples", "5",
         "lfu-log-factor", "10", "lfu-decay-time", "1"],
    ]

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func sameRepliesAsRedis(protocolVersion: RESPVersion) throws {
        try IntrospectionTests.compare(Self.commands, protocolVersion: protocolVersion, judge: Self.judge)
    }
}
