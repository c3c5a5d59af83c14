import LuaStoreCore
import Testing
@testable import LuaStore

@Suite struct HyperLogLogFamilyTests {
    let store = LuaStore()

    /// Redis's bytes for a new key: the sparse header with a stale cache, one XZERO opcode.
    static let emptyBytes = ByteString([0x48, 0x59, 0x4C, 0x4C, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x7F, 0xFF])

    @Test func newKeyIsRedisSparseEmpty() {
        expect(store, ["PFADD", "h"], .integer(1))
        #expect(store.execute(["GET", "h"]) == .bulk(Self.emptyBytes))
        expect(store, ["PFADD", "h"], .integer(0))
        expect(store, ["PFCOUNT", "h"], .integer(0))
        // PFCOUNT stored the cardinality and cleared the stale bit.
        #expect(store.execute(["GET", "h"]) == .bulk(ByteString(Self.emptyBytes.bytes.enumerated().map { $0.offset == 15 ? 0 : $0.element })))
    }

    @Test func countsAndMerges() {
        expect(store, ["PFADD", "a", "x", "y", "z"], .integer(1))
        expect(store, ["PFADD", "a", "x"], .integer(0))
        expect(store, ["PFADD", "b", "z", "w"], .integer(1))
        expect(store, ["PFCOUNT", "a"], .integer(3))
        expect(store, ["PFCOUNT", "a", "b", "missing"], .integer(4))
        expect(store, ["PFMERGE", "m", "a", "b"], .ok)
        expect(store, ["PFCOUNT", "m"], .integer(4))
        expect(store, ["PFMERGE", "new"], .ok)
        #expect(store.execute(["GET", "new"]) == .bulk(Self.emptyBytes))
    }

    @Test func foreignAndCorruptStrings() {
        expect(store, ["SET", "s", "hello"], .ok)
        expect(store, ["PFADD", "s", "a"], .err("WRONGTYPE Key is not a valid HyperLogLog string value."))
        expect(store, ["PFCOUNT", "s"], .err("WRONGTYPE Key is not a valid HyperLogLog string value."))
        expect(store, ["LPUSH", "l", "a"], .integer(1))
        expect(store, ["PFCOUNT", "l"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        // A sparse HyperLogLog whose opcodes run past 16384 registers.
        _ = store.execute(["SET", "c", ByteString([0x48, 0x59, 0x4C, 0x4C, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x7F, 0xFF, 0x80])])
        expect(store, ["PFCOUNT", "c"], .err("INVALIDOBJ Corrupted HLL object detected"))
        expect(store, ["PFMERGE", "d", "c"], .err("INVALIDOBJ Corrupted HLL object detected"))
        expect(store, ["EXISTS", "d"], .integer(0))
        // A dense header on a string of the wrong length.
        _ = store.execute(["SET", "w", ByteString([0x48, 0x59, 0x4C, 0x4C, 0x00] + [UInt8](repeating: 0, count: 20))])
        expect(store, ["PFADD", "w", "a"], .err("WRONGTYPE Key is not a valid HyperLogLog string value."))
    }

    @Test func growsDenseAndStaysAccurate() throws {
        for start in stride(from: 0, to: 20_000, by: 1_000) {
            try store.pfadd("d", (start..<start + 1_000).map { ByteString("element:\($0)") })
        }
        #expect(store.execute(["STRLEN", "d"]) == .integer(Int64(HyperLogLog.denseSize)))
        let estimate = try store.pfcount(["d"])
        #expect(abs(estimate - 20_000) < 20_000 * 3 / 100)
    }

    /// Registers redis-server 7.0.15 sets (PFADD, then PFDEBUG GETREG): "a" sets register
    /// 12711 to 2, "hello" register 9216 to 1.
    @Test func hashPicksRedisRegisters() {
        #expect(ByteString("a").withUnsafeBytes { HyperLogLog.pattern($0) } == (12711, 2))
        #expect(ByteString("hello").withUnsafeBytes { HyperLogLog.pattern($0) } == (9216, 1))
    }

    @Test func typedAPIAndScripts() throws {
        #expect(try store.pfadd("t", ["a", "b"]))
        #expect(try store.pfcount(["t"]) == 2)
        try store.pfmerge("u", ["t"])
        #expect(try store.pfcount(["u", "t"]) == 2)
        #expect(throws: StoreError.notHyperLogLog) {
            try store.set("str", "x")
            try store.pfadd("str", ["a"])
        }
        #expect(try store.eval("redis.call('pfadd', KEYS[1], 'p', 'q', 'r'); return redis.call('pfcount', KEYS[1])", keys: ["lua"]) == .integer(3))
    }
}
