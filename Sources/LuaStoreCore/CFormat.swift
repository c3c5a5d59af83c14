#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// C's `printf` for one double, where Redis's text comes from a format (`%.4f`
/// distances, `%f` in error lines).
package enum CFormat {
    /// `value` formatted by `format`, which takes exactly one double.
    @usableFromInline package static func double(_ value: Double, _ format: String) -> String {
        var buffer = [CChar](repeating: 0, count: 400)
        let n = buffer.withUnsafeMutableBufferPointer { p in
            withVaList([value]) { Int(vsnprintf(p.baseAddress!, p.count, format, $0)) }
        }
        return String(decoding: buffer[0..<min(n, buffer.count - 1)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
