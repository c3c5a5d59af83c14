import Testing
@testable import LuaStoreCore

@Suite struct ByteStringTests {
    /// The cheap test SET runs before parsing a value as an integer: a digit or `-`
    /// first, 1 to 20 bytes, inline or in shared storage (a key's storage may hold as few
    /// as 15 bytes).
    @Test func mayBeIntegerChecksTheFirstByteAndTheLength() {
        #expect(ByteString("123").mayBeInteger)
        #expect(ByteString("-1").mayBeInteger)
        #expect(ByteString("9").mayBeInteger)
        #expect(!ByteString("").mayBeInteger)
        #expect(!ByteString("v12").mayBeInteger)
        #expect(!ByteString("+1").mayBeInteger)
        #expect(!ByteString(":1").mayBeInteger)   // ':' is '9' + 1
        #expect(!ByteString("/1").mayBeInteger)   // '/' is '0' - 1
        #expect(ByteString(String(repeating: "1", count: 20)).mayBeInteger)
        #expect(!ByteString(String(repeating: "1", count: 21)).mayBeInteger)
        let digits: [UInt8] = Array("1234567890123456".utf8)
        let shared = digits.withUnsafeBytes { ByteString(sharedStorage: ByteString.makeStorage(copying: $0)) }
        #expect(shared.sharedStorage != nil)
        #expect(shared.mayBeInteger)
        let long = Array(String(repeating: "1", count: 30).utf8).withUnsafeBytes { ByteString(sharedStorage: ByteString.makeStorage(copying: $0)) }
        #expect(!long.mayBeInteger)
    }

    /// `copied` keeps the bytes, inline or shared.
    @Test func copiedKeepsTheBytes() {
        for text in ["", "a", String(repeating: "x", count: 22), String(repeating: "y", count: 23), String(repeating: "z", count: 100)] {
            let s = ByteString(text)
            #expect(s.copied == s)
            #expect(s.copied.string == text)
        }
    }

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

    /// The inline constructor assembles words from overlapping loads: every length, with
    /// every byte distinct, must read back exactly (and compare equal to a sequence-built
    /// copy, which takes the same path through a different buffer).
    @Test func inlineWordAssemblyEveryLength() {
        for n in 0...ByteString.inlineCapacity {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: 0xA0 &+ $0) }
            // Read from the middle of a larger buffer, so loads beyond the string would show.
            let padded = [UInt8](repeating: 0xEE, count: 8) + bytes + [UInt8](repeating: 0xEE, count: 8)
            let s = padded.withUnsafeBytes { ByteString(UnsafeRawBufferPointer(rebasing: $0[8..<(8 + n)])) }
            #expect(s.bytes == bytes, "length \(n)")
            #expect(s == ByteString(bytes) && s.storeHash == ByteString(bytes).storeHash, "length \(n)")
        }
    }

    @Test func decimalFormattingMatchesDescription() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 12_345_678, 123_456_789, -123_456_789,
                               Int64.max, Int64.min, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 { power *= 10; values += [power - 1, power, -power, -(power - 1)] }
        for v in values {
            #expect(ByteString(v).string == String(v), "\(v)")
            #expect(ByteString(v) == ByteString(String(v)), "\(v)")
        }
    }

    @Test func inlineHashMatchesByteHash() {
        for n in 0...40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 7) }
            let s = ByteString(bytes)
            let viaBytes = bytes.withUnsafeBytes { ByteString.hash($0) }
            #expect(s.storeHash == viaBytes, "length \(n)")
            // The same bytes on the heap (as the key table shares them) hash the same.
            let shared = bytes.withUnsafeBytes { ByteString(sharedStorage: ByteString.makeStorage(copying: $0)) }
            #expect(shared.storeHash == s.storeHash && shared == s, "length \(n)")
        }
    }

    @Test func asciiLowercasedFoldsOnlyAToZ() {
        // Every byte value, inline and on the heap.
        for start in stride(from: 0, to: 256, by: 22) {
            let bytes = (start..<min(256, start + 22)).map { UInt8($0) }
            let expected = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            #expect(ByteString(bytes).asciiLowercased().bytes == expected)
            #expect(ByteString(bytes + bytes).asciiLowercased().bytes == expected + expected)
        }
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

    /// The inline fast path of `compare` agrees with memcmp-then-length on every pair of a
    /// set of short strings built to hit each word, zero bytes and proper prefixes.
    @Test func inlineCompareMatchesBytewiseCompare() {
        var rng = SplitMix64(seed: 7)
        var samples: [[UInt8]] = [[], [0], [0, 0], [1], [0xFF], [0x61, 0x62], [0x61, 0x62, 0]]
        for _ in 0..<300 {
            let n = Int(rng.next() % 23)
            samples.append((0..<n).map { _ in [0, 1, 0x7F, 0x80, 0xFF, 0x61][Int(rng.next() % 6)] })
        }
        for a in samples {
            for b in samples.prefix(120) {
                let expected = a.withUnsafeBytes { l in b.withUnsafeBytes { r in ByteString.compare(l, r) } }
                let got = ByteString(a).compare(ByteString(b))
                #expect(got.signum() == expected.signum(), "\(a) vs \(b)")
            }
        }
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
