/// Redis's glob matching (`stringmatchlen` in util.c), used by KEYS, SCAN MATCH and the
/// collection scans: `*`, `?`, `[abc]`, `[^a-z]`, `\x` escapes, with Redis's exact
/// behaviour on malformed patterns (an unterminated `[` matches as if closed).
@usableFromInline package enum GlobPattern {
    /// Does `string` match `pattern`?
    @usableFromInline package static func matches(_ pattern: ByteString, _ string: ByteString, ignoreCase: Bool = false) -> Bool {
        pattern.withUnsafeBytes { p in
            string.withUnsafeBytes { s in
                var skipLonger = false
                return match(Array(p), 0, Array(s), 0, ignoreCase, &skipLonger, nesting: 0)
            }
        }
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    /// C's `char` is signed on the platforms Redis runs on; ranges compare signed values.
    private static func signed(_ b: UInt8) -> Int { Int(Int8(bitPattern: b)) }

    private static func match(
        _ pattern: [UInt8], _ pStart: Int, _ string: [UInt8], _ sStart: Int,
        _ nocase: Bool, _ skipLonger: inout Bool, nesting: Int
    ) -> Bool {
        if nesting > 1000 { return false }
        // Reads past the end see the C string's NUL terminator.
        @inline(__always) func at(_ i: Int) -> UInt8 { i < pattern.count ? pattern[i] : 0 }
        var p = pStart, s = sStart
        var pLen = pattern.count - pStart, sLen = string.count - sStart
        while pLen > 0 && sLen > 0 {
            switch pattern[p] {
            case UInt8(ascii: "*"):
                while pLen > 0 && at(p + 1) == UInt8(ascii: "*") { p += 1; pLen -= 1 }
                if pLen == 1 { return true }
                while sLen > 0 {
                    if match(pattern, p + 1, string, s, nocase, &skipLonger, nesting: nesting + 1) { return true }
                    if skipLonger { return false }
                    s += 1; sLen -= 1
                }
                skipLonger = true
                return false
            case UInt8(ascii: "?"):
                s += 1; sLen -= 1
            case UInt8(ascii: "["):
                p += 1; pLen -= 1
                let negate = at(p) == UInt8(ascii: "^")
                if negate { p += 1; pLen -= 1 }
                var matched = false
                while true {
                    if at(p) == UInt8(ascii: "\\") && pLen >= 2 {
                        p += 1; pLen -= 1
                        if at(p) == string[s] { matched = true }
                    } else if at(p) == UInt8(ascii: "]") {
                        break
                    } else if pLen == 0 {
                        p -= 1; pLen += 1
                        break
                    } else if pLen >= 3 && at(p + 1) == UInt8(ascii: "-") {
                        var lo = signed(at(p)), hi = signed(at(p + 2))
                        var c = signed(string[s])
                        if lo > hi { swap(&lo, &hi) }
                        if nocase {
                            lo = signed(lower(UInt8(bitPattern: Int8(lo))))
                            hi = signed(lower(UInt8(bitPattern: Int8(hi))))
                            c = signed(lower(string[s]))
                        }
                        p += 2; pLen -= 2
                        if c >= lo && c <= hi { matched = true }
                    } else if nocase ? lower(at(p)) == lower(string[s]) : at(p) == string[s] {
                        matched = true
                    }
                    p += 1; pLen -= 1
                }
                if negate { matched.toggle() }
                if !matched { return false }
                s += 1; sLen -= 1
            default:
                if pattern[p] == UInt8(ascii: "\\") && pLen >= 2 { p += 1; pLen -= 1 }
                if nocase ? lower(at(p)) != lower(string[s]) : at(p) != string[s] { return false }
                s += 1; sLen -= 1
            }
            p += 1; pLen -= 1
            if sLen == 0 {
                while at(p) == UInt8(ascii: "*") && pLen > 0 { p += 1; pLen -= 1 }
                break
            }
        }
        return pLen == 0 && sLen == 0
    }
}
