#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if arch(x86_64) && !os(Windows)
/// Redis computes INCRBYFLOAT and HINCRBYFLOAT in C's `long double` (80-bit on x86-64);
/// using it too makes results such as 0.1 + 0.2 print as Redis prints them ("0.3").
@usableFromInline package typealias LongDouble = Float80
#else
@usableFromInline package typealias LongDouble = Double
#endif

/// Parsing and formatting of `long double` values as Redis's `string2ld` / `ld2string`
/// (human mode) do.
@usableFromInline package enum LongDoubleText {
    /// Parses like `string2ld`: no leading space, whole string, not NaN, no overflow.
    @usableFromInline package static func parse(_ s: UnsafeRawBufferPointer) -> LongDouble? {
        guard s.count > 0, s.count < 5 * 1024 else { return nil }
        var buffer = [CChar](repeating: 0, count: s.count + 1)
        for i in 0..<s.count { buffer[i] = CChar(bitPattern: s[i]) }
        if isspace(Int32(buffer[0])) != 0 { return nil }
        return buffer.withUnsafeBufferPointer { p -> LongDouble? in
            var end: UnsafeMutablePointer<CChar>? = nil
            errno = 0
            #if arch(x86_64)
            let v = strtold(p.baseAddress!, &end)
            #else
            let v = strtod(p.baseAddress!, &end)
            #endif
            guard let end, end.pointee == 0, end - UnsafeMutablePointer(mutating: p.baseAddress!) == s.count else { return nil }
            if errno == ERANGE && (v.isInfinite || v == 0) { return nil }
            if v.isNaN { return nil }
            return v
        }
    }

    @usableFromInline package static func parse(_ s: ByteString) -> LongDouble? { s.withUnsafeBytes { parse($0) } }

    /// Formats like `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, trailing zeros and dot
    /// removed, "-0" as "0".
    @usableFromInline package static func format(_ value: LongDouble) -> ByteString {
        var buffer = [CChar](repeating: 0, count: 5 * 1024 + 64)
        let n = buffer.withUnsafeMutableBufferPointer { p -> Int in
            withVaList([value]) { Int(vsnprintf(p.baseAddress!, p.count, lengthModifierFormat, $0)) }
        }
        var bytes = buffer[0..<min(n, buffer.count - 1)].map { UInt8(bitPattern: $0) }
        if bytes.contains(UInt8(ascii: ".")) {
            while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        }
        if bytes == [UInt8(ascii: "-"), UInt8(ascii: "0")] { bytes = [UInt8(ascii: "0")] }
        return ByteString(bytes)
    }

    #if arch(x86_64)
    private static let lengthModifierFormat = "%.17Lf"
    #else
    private static let lengthModifierFormat = "%.17f"
    #endif
}
