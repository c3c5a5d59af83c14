import Testing
@testable import LuaStoreCore

@Suite struct ByteStringTests {
    @Test func inlineAndLargeRoundTrip() {
        for n in [0, 1, 13, 14, 15, 21, 22, 23, 100, 5000] {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
            let s = ByteString(bytes)
            #expect(s.count == n)
            #expect(s.bytes == bytes)
            #expect(s == ByteString(bytes))
            #expect(s.storeHash == ByteString(bytes).storeHash)
        }
        #expect(MemoryLayout<ByteString>.size == 24)
    }

    @Test func binarySafe() {
        let s = ByteString([0, 0xff, 0x0a, 0x00])
        #expect(s.count == 4)
        #expect(s != ByteString([0, 0xff, 0x0a]))
        #expect(s.escaped == "\\x00\\xff\\n\\x00")
    }

    @Test func ordering() {
        #expect(ByteString("a") < ByteString("b"))
        #expect(ByteString("a") < ByteString("aa"))
        #expect(ByteString([0xff]) > ByteString("z"))
        #expect(ByteString("abcdefghijklmnopqrstuvwxyz1") > ByteString("abcdefghijklmnopqrstuvwxyz0"))
    }

    @Test func integers() {
        #expect(ByteString("123").int64Value == 123)
        #expect(ByteString("-9223372036854775808").int64Value == Int64.min)
        #expect(ByteString("9223372036854775808").int64Value == nil)
        #expect(ByteString("0123").int64Value == nil)
        #expect(ByteString("+1").int64Value == nil)
        #expect(ByteString(" 1").int64Value == nil)
        #expect(ByteString("-0").int64Value == nil)
        #expect(ByteString(Int64.min).string == "-9223372036854775808")
        #expect(ByteString(Int64(0)).string == "0")
        #expect(ByteString("1.5").doubleValue == 1.5)
        #expect(ByteString("inf").doubleValue == .infinity)
        #expect(ByteString("nan").doubleValue == nil)
        #expect(ByteString(" 1").doubleValue == nil)
    }

    @Test func appending() {
        let a = ByteString("hello world!!")
        #expect(a.appending(ByteString("x")).string == "hello world!!x")
        #expect(a.appending(ByteString("xyz")).string == "hello world!!xyz")
    }
}
