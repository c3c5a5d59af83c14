#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ByteString {
    /// Parses the bytes as Redis does for integers (`string2ll`): an optional `-`, decimal
    /// digits, no leading zeros (except "0"), no spaces or `+`, within Int64. Returns nil
    /// otherwise.
    @inlinable
    public var int64Value: Int64? { withUnsafeBytes { ByteString.parseInt64($0) } }

    @inlinable
    package static func parseInt64(_ s: UnsafeRawBufferPointer) -> Int64? {
        let n = s.count
        if n == 0 || n > 20 { return nil }
        if n == 1 && s[0] == UInt8(ascii: "0") { return 0 }
        var i = 0
        var negative = false
        if s[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
            if n == 1 { return nil }
        }
        // First digit 1-9.
        guard s[i] >= UInt8(ascii: "1") && s[i] <= UInt8(ascii: "9") else { return nil }
        var v: UInt64 = 0
        while i < n {
            let d = s[i] &- UInt8(ascii: "0")
            guard d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        if negative {
            if v > UInt64(Int64.max) + 1 { return nil }
            return v == UInt64(Int64.max) + 1 ? Int64.min : -Int64(v)
        }
        return v > UInt64(Int64.max) ? nil : Int64(v)
    }

    /// Parses the bytes as a double the way Redis's `string2ld`/`strtold` checks do:
    /// no leading/trailing space, whole string consumed, not NaN. `inf`, `-inf`, `+inf`
    /// and exponents are accepted.
    public var doubleValue: Double? { withUnsafeBytes { ByteString.parseDouble($0) } }

    @usableFromInline package static func parseDouble(_ s: UnsafeRawBufferPointer) -> Double? {
        let n = s.count
        if n == 0 || n > 5000 { return nil }
        if isspace(Int32(s[0])) != 0 || isspace(Int32(s[n - 1])) != 0 { return nil }
        var buffer = [CChar](repeating: 0, count: n + 1)
        for i in 0..<n {
            if s[i] == 0 { return nil }
            buffer[i] = CChar(bitPattern: s[i])
        }
        return buffer.withUnsafeBufferPointer { p -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            errno = 0
            let v = strtod(p.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: p.baseAddress!) == n else { return nil }
            if v.isNaN { return nil }
            if errno == ERANGE && v.isFinite && v != 0 { /* underflow to denormal is fine */ }
            if errno == ERANGE && (v == .infinity || v == -.infinity) { return nil }
            return v
        }
    }

    /// Writes `value` in decimal into `dst` (at least 20 bytes); returns the byte count.
    @inlinable
    package static func formatDecimal(_ value: Int64, into dst: UnsafeMutableRawBufferPointer) -> Int {
        var magnitude = value.magnitude
        return withUnsafeTemporaryAllocation(byteCount: 24, alignment: 8) { t -> Int in
            var i = 24
            repeat {
                i -= 1
                t[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                i -= 1
                t[i] = UInt8(ascii: "-")
            }
            let n = 24 - i
            dst.baseAddress!.copyMemory(from: t.baseAddress! + i, byteCount: n)
            return n
        }
    }
}
