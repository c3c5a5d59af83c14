#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sorted-set scores as text, the way redis-server 7.0 writes and reads them.
///
/// # Thread safety
/// Stateless.
@usableFromInline package enum Score {
    /// The reply text of a score: `%.17g` as redis-server 7.0 prints it ("1", "1.5",
    /// "0.10000000000000001", "1.2345678901234568e+17"), and "inf" / "-inf" for the
    /// infinities (glibc would print the same; spelled out so no libc can differ).
    /// - Complexity: O(1)
    @usableFromInline package static func format(_ d: Double) -> ByteString {
        if d == .infinity { return "inf" }
        if d == -.infinity { return "-inf" }
        if d.isNaN { return "nan" }
        // An integral score below 1e17 in magnitude prints as its integer digits under
        // %.17g (its exponent is under the precision), as ByteString(Int64) writes them:
        // the common case, an order of magnitude cheaper than vsnprintf.
        if d.magnitude < 1e17 && d.rounded(.towardZero) == d && !(d == 0 && d.sign == .minus) {
            return ByteString(Int64(d))
        }
        // %.17g needs at most 24 bytes ("-1.2345678901234567e-308").
        return withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { raw -> ByteString in
            let p = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            let n = withVaList([d]) { vsnprintf(p, 32, "%.17g", $0) }
            return ByteString(UnsafeRawBufferPointer(rebasing: raw[0..<Int(n)]))
        }
    }

    /// Parses a score argument as Redis's `getDoubleFromObject` does for ZADD and ZINCRBY:
    /// `strtod` over the whole string, no surrounding spaces, not NaN. Returns nil otherwise
    /// (the command replies `ERR value is not a valid float`).
    /// - Complexity: O(length)
    @usableFromInline package static func parse(_ text: ByteString) -> Double? {
        // A plain integer of up to 15 digits ("42", "-7", "+007") is exactly what strtod
        // would return (any such value is below 2^53): skip the C string copy and strtod.
        let plain = text.withUnsafeBytes { bytes -> Double? in
            let n = bytes.count
            if n == 0 || n > 16 { return nil }
            let sign = bytes[0]
            let start = sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") ? 1 : 0
            if start == n || n - start > 15 { return nil }
            var value: Int64 = 0
            for i in start..<n {
                let digit = bytes[i] &- UInt8(ascii: "0")
                if digit > 9 { return nil }
                value = value &* 10 &+ Int64(digit)
            }
            // -0 must stay -0, as strtod returns it.
            return sign == UInt8(ascii: "-") ? -Double(value) : Double(value)
        }
        return plain ?? text.doubleValue
    }

    /// Parses one end of a ZRANGEBYSCORE-style range, as Redis's `zslParseRange`: a number
    /// for an inclusive bound, `(` and a number for an exclusive one. `strtod` decides what a
    /// number is, so "inf", "-inf", "+inf", "0x10", " 1" and even "" (zero) are accepted.
    static func parseBound(_ text: ByteString) -> (value: Double, exclusive: Bool)? {
        text.withUnsafeBytes { bytes -> (Double, Bool)? in
            let exclusive = bytes.first == UInt8(ascii: "(")
            let number = exclusive ? UnsafeRawBufferPointer(rebasing: bytes.dropFirst()) : bytes
            // strtod reads up to the first NUL, like the C string Redis hands it.
            var c = [CChar](repeating: 0, count: number.count + 1)
            for (i, b) in number.enumerated() { c[i] = CChar(bitPattern: b) }
            return c.withUnsafeBufferPointer { p -> (Double, Bool)? in
                var end: UnsafeMutablePointer<CChar>?
                let v = strtod(p.baseAddress!, &end)
                guard let end, end.pointee == 0, !v.isNaN else { return nil }
                return (v, exclusive)
            }
        }
    }
}
