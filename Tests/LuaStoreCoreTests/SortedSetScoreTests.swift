#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import LuaStoreCore

/// ``Score``'s integer fast paths against the C library calls they stand in for.
@Suite struct SortedSetScoreTests {
    /// `%.17g` through vsnprintf, as redis-server 7.0 prints a score.
    static func printf(_ d: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBufferPointer { p in withVaList([d]) { vsnprintf(p.baseAddress!, 64, "%.17g", $0) } }
        return String(decoding: buffer[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func formatMatchesPrintf() {
        var rng = SeededGenerator(seed: 11)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 1e15, 1e16, 99_999_999_999_999_984, 1e17, -1e17, 1e17 + 16,
                                9_007_199_254_740_992, 123_456_789_012_345_680, 0.1, 1.5e300, -2.5e-300, .ulpOfOne]
        for _ in 0..<2_000 {
            values.append(Double(Int64.random(in: -1_000_000_000_000_000_00...1_000_000_000_000_000_00, using: &rng)))
            values.append(Double(Int.random(in: -1_000_000...1_000_000, using: &rng)))
            values.append(Double.random(in: -1e6...1e6, using: &rng))
        }
        for d in values {
            #expect(String(decoding: Score.format(d).bytes, as: UTF8.self) == Self.printf(d), "\(d)")
        }
    }

    @Test func parseMatchesStrtod() {
        let texts = ["0", "-0", "+0", "007", "-007", "+5", "42", "-42", "999999999999999", "-999999999999999",
                     "9999999999999999", "12345678901234567", "-", "+", "", "1a", "a1", " 1", "1 ", "1.5", "1e3",
                     "-inf", "inf", "nan", "0x10", "--1", "+-1", "٣"]
        for t in texts {
            let fast = Score.parse(ByteString(t))
            let slow = ByteString(t).doubleValue
            #expect(fast?.bitPattern == slow?.bitPattern, "\(t)")
        }
    }
}
