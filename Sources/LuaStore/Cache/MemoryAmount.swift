/// Redis's memory values (`memtoull` in its util.c): digits, then an optional unit in any
/// letter case: `b`; `k`, `m`, `g` (powers of 1000); `kb`, `mb`, `gb` (powers of 1024).
/// No sign, spaces or fractions; more digits than fit saturate at 2^64 - 1, and the
/// product with the unit wraps as an unsigned multiplication in C does.
enum MemoryAmount {
    static func parse(_ text: ByteString) -> UInt64? {
        var digits = 0
        while digits < text.count && text[digits] >= UInt8(ascii: "0") && text[digits] <= UInt8(ascii: "9") {
            digits += 1
        }
        let unit = ByteString(text.bytes[digits...]).asciiLowercased()
        let multiplier: UInt64
        switch unit {
        case "", "b": multiplier = 1
        case "k": multiplier = 1000
        case "kb": multiplier = 1024
        case "m": multiplier = 1000 * 1000
        case "mb": multiplier = 1024 * 1024
        case "g": multiplier = 1000 * 1000 * 1000
        case "gb": multiplier = 1024 * 1024 * 1024
        default: return nil
        }
        // Redis copies the digits into a 128-byte buffer first.
        guard digits < 128 else { return nil }
        var value: UInt64 = 0
        for i in 0..<digits {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(UInt64(text[i] - UInt8(ascii: "0")))
            if o1 || o2 { value = .max; break }   // strtoull saturates
            value = sum
        }
        return value &* multiplier
    }
}
