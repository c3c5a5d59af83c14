import Foundation
import Testing
import LuaStoreCore

/// Literals, interpolation and the number initializers produce the bytes they name.
@Suite struct ByteStringLiteralTests {
    @Test func integerAndFloatLiterals() {
        let five: ByteString = 5
        let negative: ByteString = -42
        let ratio: ByteString = 2.5
        #expect(five == ByteString("5"))
        #expect(negative == ByteString("-42"))
        #expect(ratio == ByteString("2.5"))
        let mixed: [ByteString] = [10, 2.5, "x"]
        #expect(mixed == [ByteString("10"), ByteString("2.5"), ByteString("x")])
    }

    @Test func interpolationWritesTextAndKeepsBytes() {
        let id = 42
        let name = "bob"
        let key: ByteString = "user:\(id):\(name)"
        #expect(key == ByteString("user:42:bob"))
        // An interpolated ByteString keeps its bytes, NUL and invalid UTF-8 included.
        let binary = ByteString([0x00, 0xFF, 0x41])
        let prefixed: ByteString = "k:\(binary)"
        #expect(prefixed.bytes == [0x6B, 0x3A, 0x00, 0xFF, 0x41])
        // Long results go to the heap, still byte for byte.
        let long: ByteString = "\(String(repeating: "a", count: 30))-\(id)"
        #expect(long.count == 33 && long == ByteString(String(repeating: "a", count: 30) + "-42"))
    }

    @Test func intInitializer() {
        #expect(ByteString(0) == "0")
        let values = [7, -1, Int.max, Int.min]
        for value in values { #expect(ByteString(value) == ByteString(String(value))) }
    }

    /// The text INCRBYFLOAT prints: `%.17Lf` of the value's shortest decimal text, trimmed.
    @Test(arguments: [
        (2.5, "2.5"), (0.1, "0.1"), (3.0, "3"), (-0.0, "0"), (-7.25, "-7.25"), (1e20, "100000000000000000000"),
        (1e-5, "0.00001"), (0.1 + 0.2, "0.30000000000000004"), (123456789.125, "123456789.125"),
        (Double.infinity, "inf"), (-Double.infinity, "-inf"),
    ])
    func doubleInitializer(value: Double, text: String) {
        #expect(ByteString(value) == ByteString(text))
    }

    @Test func nanIsNan() {
        #expect(ByteString(Double.nan) == "nan")
    }

    @Test func fromSubstringBytesAndData() {
        let text = "hello, world"
        #expect(ByteString(text.dropFirst(7)) == "world")
        #expect(ByteString([UInt8]("abc".utf8)) == "abc")
        let data = Data([0x00, 0x01, 0xFE])
        #expect(ByteString(data).bytes == [0x00, 0x01, 0xFE])
        #expect(Data(ByteString("xyz").bytes) == Data("xyz".utf8))
    }
}
