import LuaStore
import LuaStoreCore
import Testing
import TestSupport

/// Streams against redis-server where the random sequences do not reach: `*` IDs on a
/// stream ahead of the clock, approximate trimming over hundreds of entries (which removes
/// whole blocks, so LuaStore's blocks must split where Redis's nodes do, by entry count and
/// by listpack bytes), entries of every size class, and XREAD over RESP3.
@Suite("Streams vs redis-server")
struct StreamDifferentialTests {
    /// Runs `body` with a `compare` that sends each command to both sides and collects
    /// the first differences.
    static func compare(protocolVersion: RESPVersion = .resp2, _ body: (_ compare: ([ByteString]) throws -> Void) throws -> Void) throws {
        try RedisServer.with { server in
            let redis = try server.connect()
            if protocolVersion == .resp3 { _ = try redis.hello(3) }
            let store = LuaStore()
            var mismatches: [String] = []
            try body { argv in
                let expected = try redis.call(argv), got = store.execute(argv, protocol: protocolVersion)
                // RESP3 has one null: `null` and `nullArray` are the same bytes on the wire.
                let same = expected == got || (protocolVersion == .resp3 && expected.isNull && got.isNull)
                if !same && mismatches.count < 5 {
                    mismatches.append("\(argv.prefix(8).map(\.string)): redis \(String(describing: expected).prefix(300)) LuaStore \(String(describing: got).prefix(300))")
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }

    @Test func autoIDsAheadOfTheClock() throws {
        try Self.compare { compare in
            try compare(["XADD", "s", "9000000000000-18446744073709551614", "a", "1"])
            try compare(["XADD", "s", "*", "a", "2"])
            try compare(["XADD", "s", "*", "a", "3"])
            try compare(["XADD", "s", "9000000000001-*", "a", "4"])
            try compare(["XADD", "s", "9000000000001-*", "a", "5"])
            try compare(["XSETID", "s", "18446744073709551615-18446744073709551614"])
            try compare(["XADD", "s", "*", "a", "6"])
            try compare(["XADD", "s", "*", "a", "7"])
            try compare(["XRANGE", "s", "-", "+"])
            try compare(["XADD", "s", "NOMKSTREAM", "MAXLEN", "0", "*", "a", "1"])
            try compare(["XADD", "missing", "NOMKSTREAM", "*", "a", "1"])
            try compare(["EXISTS", "missing"])
        }
    }

    /// 1,000 entries with the same fields, then approximate and exact trims and deletes
    /// between them, each followed by XLEN and reads at the ends.
    @Test func approximateTrimsRemoveRedisBlocks() throws {
        try Self.compare { compare in
            for i in 1...1_000 { try compare(["XADD", "s", "\(i)-1", "field", "v\(i)", "n", "\(i)"]) }
            let steps: [[ByteString]] = [
                ["XTRIM", "s", "MAXLEN", "~", "950"], ["XTRIM", "s", "MAXLEN", "~", "899"],
                ["XDEL", "s", "205-1", "250-1", "301-1"], ["XTRIM", "s", "MINID", "~", "260"],
                ["XTRIM", "s", "MAXLEN", "=", "640"], ["XTRIM", "s", "MAXLEN", "~", "600", "LIMIT", "50"],
                ["XTRIM", "s", "MAXLEN", "~", "300", "LIMIT", "150"], ["XTRIM", "s", "MINID", "=", "500-1"],
                ["XADD", "s", "MAXLEN", "~", "350", "2000-1", "field", "x", "n", "0"],
                ["XTRIM", "s", "MAXLEN", "~", "0"],
            ]
            for step in steps {
                try compare(step)
                try compare(["XLEN", "s"])
                try compare(["XRANGE", "s", "-", "+", "COUNT", "3"])
                try compare(["XREVRANGE", "s", "+", "-", "COUNT", "3"])
            }
            try compare(["XRANGE", "s", "-", "+"])
        }
    }

    /// Entries of varied fields and sizes (integers in each listpack width, strings past
    /// 63 and 4095 bytes), so blocks split on Redis's 4096 listpack bytes, then trims.
    @Test func blocksSplitOnListpackBytes() throws {
        try Self.compare { compare in
            var rng = SplitMix64(seed: 7)
            let values: [ByteString] = [
                "1", "127", "128", "-4096", "4095", "32767", "-32769", "8388607", "8388608", "2147483648",
                "9223372036854775807", "007", "x", ByteString(String(repeating: "y", count: 63)),
                ByteString(String(repeating: "z", count: 64)), ByteString(String(repeating: "w", count: 300)),
            ]
            for i in 1...600 {
                var argv: [ByteString] = ["XADD", "s", "\(i * 3)-\(rng.below(3))"]
                let fields = rng.chance(50) ? ["a", "b"] : (0..<rng.int(1...4)).map { "f\($0 + rng.int(0...2))" }
                for field in fields { argv += [ByteString(field), rng.pick(values)] }
                if i % 97 == 0 { argv += ["big", ByteString(String(repeating: "q", count: 5000))] }
                try compare(argv)
            }
            for threshold in ["580", "500", "400", "250", "100", "0"] {
                try compare(["XTRIM", "s", "MAXLEN", "~", ByteString(threshold)])
                try compare(["XLEN", "s"])
                try compare(["XRANGE", "s", "-", "+", "COUNT", "1"])
            }
        }
    }

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func readsAndErrors(_ protocolVersion: RESPVersion) throws {
        try Self.compare(protocolVersion: protocolVersion) { compare in
            try compare(["XADD", "a", "1-1", "f", "v"])
            try compare(["XADD", "a", "2-1", "f", "v", "g", "w"])
            try compare(["XADD", "b", "5", "x", "y"])
            try compare(["XREAD", "STREAMS", "a", "b", "0", "0"])
            try compare(["XREAD", "COUNT", "1", "STREAMS", "a", "b", "missing", "0", "4", "0"])
            try compare(["XREAD", "STREAMS", "a", "$"])
            try compare(["XRANGE", "a", "-", "+", "COUNT", "0"])
            try compare(["XRANGE", "missing", "-", "+", "COUNT", "0"])
            try compare(["XREVRANGE", "a", "(2-1", "-"])
            try compare(["XDEL", "a", "1-1"])
            try compare(["XSETID", "a", "3", "ENTRIESADDED", "7", "MAXDELETEDID", "1-1"])
            try compare(["XADD", "a", "3-*", "f", "v"])
            try compare(["XTRIM", "a", "MINID", "3"])
            try compare(["XRANGE", "a", "-", "+"])
            try compare(["SET", "str", "x"])
            try compare(["XREAD", "STREAMS", "a", "str", "bad", "0"])
            try compare(["XREAD", "STREAMS", "str", "a", "0", "bad"])
            try compare(["OBJECT", "ENCODING", "a"])
            try compare(["TYPE", "a"])
            try compare(["COPY", "a", "c"])
            try compare(["XRANGE", "c", "-", "+"])
            try compare(["COMMAND", "GETKEYS", "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"])
            try compare(["COMMAND", "GETKEYS", "XREAD", "STREAMS", "streams", "0"])
        }
    }
}
