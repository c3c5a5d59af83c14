import Testing
@testable import LuaStore

@Suite struct KeyFamilyTests {
    let clock = ManualClock()
    let store: LuaStore
    init() { store = LuaStore(configuration: .init(clock: clock)) }

    @Test func ttlWithManualClock() {
        expect(store, ["SET", "k", "v", "EX", "10"], .ok)
        expect(store, ["TTL", "k"], .integer(10))
        clock.advance(by: .milliseconds(9_499))
        expect(store, ["TTL", "k"], .integer(1))
        expect(store, ["PTTL", "k"], .integer(501))
        clock.advance(by: .milliseconds(501))
        expect(store, ["GET", "k"], .null)
        expect(store, ["TTL", "k"], .integer(-2))
        expect(store, ["SET", "p", "v"], .ok)
        expect(store, ["TTL", "p"], .integer(-1))
    }

    @Test func expireConditions() {
        run(store, "SET", "k", "v")
        expect(store, ["EXPIRE", "k", "100", "XX"], .integer(0))
        expect(store, ["EXPIRE", "k", "100", "NX"], .integer(1))
        expect(store, ["EXPIRE", "k", "50", "GT"], .integer(0))
        expect(store, ["EXPIRE", "k", "50", "LT"], .integer(1))
        expect(store, ["EXPIRE", "k", "50", "NX", "XX"], .err("ERR NX and XX, GT or LT options at the same time are not compatible"))
        expect(store, ["EXPIRE", "k", "50", "GT", "LT"], .err("ERR GT and LT options at the same time are not compatible"))
        expect(store, ["EXPIRE", "k", "50", "FOO"], .err("ERR Unsupported option FOO"))
        expect(store, ["PERSIST", "k"], .integer(1))
        expect(store, ["EXPIRE", "k", "-1"], .integer(1))
        expect(store, ["EXISTS", "k"], .integer(0))
        let now = clock.nowMilliseconds()
        run(store, "SET", "a", "v")
        expect(store, ["PEXPIREAT", "a", String(now + 5000)], .integer(1))
        expect(store, ["PEXPIRETIME", "a"], .integer(now + 5000))
        expect(store, ["EXPIRETIME", "a"], .integer((now + 5000) / 1000))
        expect(store, ["EXPIRE", "a", "9223372036854775807"], .err("ERR invalid expire time in 'expire' command"))
    }

    @Test func renameCopyType() {
        run(store, "SET", "a", "1", "EX", "100")
        expect(store, ["RENAME", "a", "b"], .ok)
        expect(store, ["TTL", "b"], .integer(100))
        expect(store, ["RENAME", "nope", "b"], .err("ERR no such key"))
        expect(store, ["RENAMENX", "b", "b"], .integer(0))
        expect(store, ["COPY", "b", "c"], .integer(1))
        expect(store, ["COPY", "b", "c"], .integer(0))
        expect(store, ["COPY", "b", "c", "REPLACE"], .integer(1))
        expect(store, ["TYPE", "c"], .status("string"))
        expect(store, ["TYPE", "zz"], .status("none"))
        expect(store, ["DEL", "b", "c", "zz"], .integer(2))
        expect(store, ["DBSIZE"], .integer(0))
    }

    /// COPY's DB is read as a C int (getIntFromObjectOrReply) before the index is checked.
    @Test func copyDatabaseIndex() {
        run(store, "SET", "a", "1")
        expect(store, ["COPY", "a", "b", "DB", "0"], .integer(1))
        expect(store, ["COPY", "a", "b", "DB", "2147483648"], .err("ERR value is out of range, value must between -2147483648 and 2147483647"))
        expect(store, ["COPY", "a", "b", "DB", "-2147483649"], .err("ERR value is out of range, value must between -2147483648 and 2147483647"))
        expect(store, ["COPY", "a", "b", "DB", "x"], .err("ERR value is not an integer or out of range"))
        expect(store, ["COPY", "a", "b", "DB", "16"], .err("ERR DB index is out of range"))
        expect(store, ["COPY", "a", "a"], .err("ERR source and destination objects are the same"))
        expect(store, ["COPY", "a", "a", "DB", "2147483648"], .err("ERR value is out of range, value must between -2147483648 and 2147483647"))
    }

    /// OBJECT names the encoding of the value as LuaStore stores it, with redis-server
    /// 7.0's names and thresholds (no listpack lists or sets in 7.0).
    @Test func object() {
        run(store, "SET", "int", "42")
        run(store, "SET", "big", "12345")
        run(store, "SET", "short", String(repeating: "x", count: 44))
        run(store, "SET", "long", String(repeating: "x", count: 45))
        run(store, "RPUSH", "list", "a")
        run(store, "SADD", "ints", "1", "2")
        run(store, "SADD", "strings", "a")
        run(store, "ZADD", "zset", "1", "a")
        run(store, "HSET", "hash", "f", "v")
        for (key, encoding) in [("int", "int"), ("short", "embstr"), ("long", "raw"), ("list", "quicklist"),
                                ("ints", "intset"), ("strings", "hashtable"), ("zset", "listpack"), ("hash", "listpack")] {
            expect(store, ["OBJECT", "ENCODING", key], .bulk(encoding))
        }
        expect(store, ["OBJECT", "REFCOUNT", "int"], .integer(2147483647))
        expect(store, ["OBJECT", "REFCOUNT", "big"], .integer(1))
        expect(store, ["OBJECT", "REFCOUNT", "hash"], .integer(1))
        expect(store, ["OBJECT", "IDLETIME", "hash"], .integer(0))
        expect(store, ["OBJECT", "FREQ", "hash"], .err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."))
        for sub in ["ENCODING", "REFCOUNT", "IDLETIME", "FREQ"] {
            expect(store, ["OBJECT", sub, "missing"], .null)
        }
        expect(store, ["OBJECT", "ENCODING"], .err("ERR wrong number of arguments for 'object|encoding' command"))
        expect(store, ["OBJECT"], .err("ERR wrong number of arguments for 'object' command"))
        expect(store, ["object", "nope"], .err("ERR unknown subcommand 'nope'. Try OBJECT HELP."))
        guard case .array(let help) = run(store, "OBJECT", "HELP") else { Issue.record("OBJECT HELP"); return }
        #expect(help.count == 15)
        #expect(help.first == .status("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"))
    }

    @Test func keysAndScan() {
        for i in 0..<500 { run(store, "SET", "key:\(i)", "v") }
        run(store, "SET", "other", "v")
        guard case .array(let matched) = run(store, "KEYS", "key:1?") else { Issue.record("KEYS"); return }
        #expect(matched.count == 10)
        var seen = Set<ByteString>()
        var cursor = "0"
        repeat {
            guard case .array(let page) = run(store, "SCAN", cursor, "COUNT", "7"),
                  case .bulk(let next) = page[0], case .array(let keys) = page[1] else { Issue.record("SCAN"); return }
            for case .bulk(let k) in keys { seen.insert(k) }
            cursor = next.string
            // Keys added mid-iteration must not disturb the guarantee for the others.
            run(store, "SET", "late:\(seen.count)", "v")
        } while cursor != "0"
        for i in 0..<500 { #expect(seen.contains(ByteString("key:\(i)"))) }
        expect(store, ["SCAN", "x"], .err("ERR invalid cursor"))
        expect(store, ["SCAN", "0", "COUNT", "0"], .err("ERR syntax error"))
        // Redis parses the cursor with strtoul: signs pass ("-1" wraps), spaces and junk do not.
        for bad in [" 1", "1x", "+", "18446744073709551616"] {
            expect(store, ["SCAN", bad], .err("ERR invalid cursor"))
        }
        for accepted in ["+0", "", "-18446744073709551615", "-1"] {
            guard case .array(let page) = run(store, "SCAN", accepted), page.count == 2 else {
                Issue.record("SCAN \(accepted)"); continue
            }
        }
    }

    @Test func pingEchoFlush() {
        expect(store, ["PING"], .status("PONG"))
        expect(store, ["PING", "hi"], .bulk("hi"))
        expect(store, ["PING", "a", "b"], .err("ERR wrong number of arguments for 'ping' command"))
        expect(store, ["ECHO", "x"], .bulk("x"))
        run(store, "SET", "a", "1")
        expect(store, ["FLUSHALL"], .ok)
        expect(store, ["DBSIZE"], .integer(0))
    }
}
