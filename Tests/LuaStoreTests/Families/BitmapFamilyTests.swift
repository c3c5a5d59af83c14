import Foundation
import LuaStoreCore
import Testing
@testable import LuaStore

@Suite struct BitmapFamilyTests {
    let store = LuaStore()

    @Test func setbitGetbitGrowTheString() {
        expect(store, ["SETBIT", "b", "7", "1"], .integer(0))
        expect(store, ["GET", "b"], .bulk("\u{01}"))
        expect(store, ["SETBIT", "b", "7", "0"], .integer(1))
        expect(store, ["SETBIT", "b", "1", "1"], .integer(0))
        expect(store, ["GET", "b"], .bulk("@"))
        expect(store, ["SETBIT", "b", "23", "1"], .integer(0))
        expect(store, ["STRLEN", "b"], .integer(3))
        expect(store, ["GETBIT", "b", "1"], .integer(1))
        expect(store, ["GETBIT", "b", "1000"], .integer(0))
        expect(store, ["GETBIT", "missing", "3"], .integer(0))
        // An integer-encoded string is read through its digits ("1" is 0x31).
        expect(store, ["SET", "n", "1"], .ok)
        expect(store, ["GETBIT", "n", "7"], .integer(1))
        expect(store, ["SETBIT", "n", "6", "1"], .integer(0))
        expect(store, ["GET", "n"], .bulk("3"))
    }

    @Test func offsetAndBitErrors() {
        expect(store, ["SETBIT", "b", "-1", "1"], .err("ERR bit offset is not an integer or out of range"))
        expect(store, ["SETBIT", "b", "4294967296", "1"], .err("ERR bit offset is not an integer or out of range"))
        expect(store, ["SETBIT", "b", "1", "2"], .err("ERR bit is not an integer or out of range"))
        // The offset is checked before the bit.
        expect(store, ["SETBIT", "b", "x", "x"], .err("ERR bit offset is not an integer or out of range"))
        expect(store, ["GETBIT", "b", "4294967296"], .err("ERR bit offset is not an integer or out of range"))
        expect(store, ["LPUSH", "l", "a"], .integer(1))
        expect(store, ["SETBIT", "l", "1", "1"], .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
        expect(store, ["EXISTS", "b"], .integer(0))
    }

    @Test func bitcountRanges() {
        expect(store, ["SET", "s", "foobar"], .ok)
        expect(store, ["BITCOUNT", "s"], .integer(26))
        expect(store, ["BITCOUNT", "s", "0", "0"], .integer(4))
        expect(store, ["BITCOUNT", "s", "1", "1"], .integer(6))
        expect(store, ["BITCOUNT", "s", "1", "1", "BYTE"], .integer(6))
        expect(store, ["BITCOUNT", "s", "5", "30", "BIT"], .integer(17))
        expect(store, ["BITCOUNT", "s", "-2", "-1"], .integer(7))
        expect(store, ["BITCOUNT", "s", "-1", "-2"], .integer(0))
        expect(store, ["BITCOUNT", "s", "0"], .err("ERR syntax error"))
        expect(store, ["BITCOUNT", "s", "0", "1", "BITS"], .err("ERR syntax error"))
        // A missing key answers 0 before its arguments are read.
        expect(store, ["BITCOUNT", "missing", "0"], .integer(0))
    }

    @Test func bitposSearches() {
        _ = store.execute(["SET", "s", ByteString([0xFF, 0xF0, 0x00])])
        expect(store, ["BITPOS", "s", "0"], .integer(12))
        expect(store, ["BITPOS", "s", "1", "2"], .integer(-1))
        expect(store, ["BITPOS", "s", "1", "7", "15", "BIT"], .integer(7))
        _ = store.execute(["SET", "ones", ByteString([0xFF])])
        // Without an end, the string counts as followed by zero bits; with one, not.
        expect(store, ["BITPOS", "ones", "0"], .integer(8))
        expect(store, ["BITPOS", "ones", "0", "0", "-1"], .integer(-1))
        expect(store, ["BITPOS", "missing", "1"], .integer(-1))
        expect(store, ["BITPOS", "missing", "0"], .integer(0))
        expect(store, ["BITPOS", "s", "2"], .err("ERR The bit argument must be 1 or 0."))
    }

    @Test func bitopCombinesAndReplaces() {
        expect(store, ["SET", "a", "abc"], .ok)
        expect(store, ["SET", "b", "A"], .ok)
        expect(store, ["BITOP", "AND", "d", "a", "b"], .integer(3))
        expect(store, ["GET", "d"], .bulk("A\u{00}\u{00}"))
        expect(store, ["BITOP", "OR", "d", "a", "b"], .integer(3))
        expect(store, ["GET", "d"], .bulk("abc"))
        expect(store, ["BITOP", "XOR", "d", "a", "a"], .integer(3))
        expect(store, ["GET", "d"], .bulk("\u{00}\u{00}\u{00}"))
        expect(store, ["BITOP", "NOT", "d", "a", "b"], .err("ERR BITOP NOT must be called with a single source key."))
        expect(store, ["BITOP", "NAND", "d", "a"], .err("ERR syntax error"))
        // An empty result deletes the destination.
        expect(store, ["BITOP", "AND", "d", "none", "none2"], .integer(0))
        expect(store, ["EXISTS", "d"], .integer(0))
    }

    @Test func bitfieldTypesOffsetsAndOverflow() {
        expect(store, ["BITFIELD", "f", "SET", "i8", "0", "100", "INCRBY", "i8", "0", "100", "GET", "u4", "0"],
               .array([.integer(0), .integer(-56), .integer(12)]))
        expect(store, ["BITFIELD", "f", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-200", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "-1"],
               .array([.integer(-128), .null]))
        expect(store, ["BITFIELD", "g", "SET", "u8", "#1", "255", "GET", "u16", "0"], .array([.integer(0), .integer(255)]))
        expect(store, ["BITFIELD", "g", "INCRBY", "u2", "100", "1", "INCRBY", "u2", "100", "4"], .array([.integer(1), .integer(1)]))
        expect(store, ["BITFIELD", "h", "SET", "i64", "0", "-1", "GET", "u63", "0", "GET", "i64", "0"],
               .array([.integer(0), .integer(Int64.max), .integer(-1)]))
        expect(store, ["BITFIELD", "h", "GET", "u64", "0"], .err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."))
        expect(store, ["BITFIELD", "h", "OVERFLOW", "x"], .err("ERR Invalid OVERFLOW type specified"))
        expect(store, ["BITFIELD", "h", "GET", "i8", "#-1"], .err("ERR bit offset is not an integer or out of range"))
        expect(store, ["BITFIELD", "h", "GET", "i8"], .err("ERR syntax error"))
        expect(store, ["BITFIELD_RO", "h", "GET", "i8", "0"], .array([.integer(-1)]))
        expect(store, ["BITFIELD_RO", "h", "SET", "i8", "0", "1"], .err("ERR BITFIELD_RO only supports the GET subcommand"))
        // Only GETs on a missing key create nothing; a failed write still creates it.
        expect(store, ["BITFIELD", "none", "GET", "u8", "0"], .array([.integer(0)]))
        expect(store, ["EXISTS", "none"], .integer(0))
        expect(store, ["BITFIELD", "failed", "OVERFLOW", "FAIL", "SET", "u2", "8", "9"], .array([.null]))
        expect(store, ["GET", "failed"], .bulk("\u{00}\u{00}"))
    }

    @Test func typedAPIAgreesWithCommands() throws {
        #expect(try store.setbit("t", 9, true) == 0)
        #expect(try store.getbit("t", 9) == 1)
        #expect(store.execute(["GET", "t"]) == .bulk("\u{00}@"))
        #expect(try store.bitcount("t") == 1)
        #expect(try store.bitcount("t", range: BitRange(start: 0, end: 8, unit: .bit)) == 0)
        #expect(try store.bitpos("t", bit: 1) == 9)
        #expect(try store.bitpos("t", bit: 0, range: BitRange(start: 1, end: nil)) == 8)
        #expect(throws: StoreError.bitposBitNotZeroOrOne) { try store.bitpos("t", bit: 3) }
        #expect(try store.bitop(.not, destination: "n", keys: ["t"]) == 2)
        #expect(throws: StoreError.bitopNotSingleSource) { try store.bitop(.not, destination: "n", keys: ["t", "t"]) }
        let u8 = try BitfieldType(signed: false, bits: 8)
        #expect(try store.bitfield("t", [.incrBy(u8, offset: 8, increment: 200), .overflow(.fail), .incrBy(u8, offset: 8, increment: 250)]) == [8, nil])
        #expect(try store.bitfieldReadOnly("t", [.get(u8, offset: 8)]) == [8])
        #expect(throws: StoreError.bitfieldReadOnly) { try store.bitfieldReadOnly("t", [.set(u8, offset: 0, value: 1)]) }
        #expect(throws: StoreError.bitOffset) { try store.setbit("t", 1 << 32, true) }
        #expect(throws: StoreError.bitfieldInvalidType) { try BitfieldType(signed: false, bits: 64) }
    }

    @Test func scriptsReachTheSameOps() throws {
        let reply = try store.eval("redis.call('setbit', KEYS[1], 3, 1); return {redis.call('getbit', KEYS[1], 3), redis.call('bitfield', KEYS[1], 'GET', 'u8', 0)}", keys: ["lua"])
        #expect(reply == .array([.integer(1), .array([.integer(16)])]))
    }

    /// Redis's limit is the last bit of 512 MB: SETBIT at 2^32-1 allocates it, one bit
    /// further is refused; later writes to the bitmap change it in place.
    @Test func setbitAtTheLastOffsetAllocates512MB() {
        expect(store, ["SETBIT", "big", "4294967295", "1"], .integer(0))
        expect(store, ["STRLEN", "big"], .integer(536_870_912))
        expect(store, ["GETBIT", "big", "4294967295"], .integer(1))
        expect(store, ["BITPOS", "big", "1"], .integer(4_294_967_295))
        expect(store, ["SETBIT", "big", "4294967296", "1"], .err("ERR bit offset is not an integer or out of range"))
        let start = ContinuousClock.now
        for i in 0..<100 { _ = store.execute(["SETBIT", "big", ByteString(String(i * 1_000_003)), "1"]) }
        // A copy of 512 MB takes ~100 ms; 100 of them would take seconds.
        #expect(ContinuousClock.now - start < .seconds(2))
        expect(store, ["BITCOUNT", "big"], .integer(101))
        // A BITFIELD write may end past the last offset, as in Redis: 512 MB plus a byte.
        expect(store, ["BITFIELD", "big", "SET", "u8", "4294967295", "255", "GET", "i64", "4294967295"], .array([.integer(128), .integer(-72_057_594_037_927_936)]))
        expect(store, ["STRLEN", "big"], .integer(536_870_913))
        expect(store, ["BITFIELD", "big", "GET", "u8", "#536870912"], .err("ERR bit offset is not an integer or out of range"))
        expect(store, ["BITFIELD", "big", "GET", "i64", "#9223372036854775807"], .err("ERR bit offset is not an integer or out of range"))
        expect(store, ["DEL", "big"], .integer(1))
    }
}
