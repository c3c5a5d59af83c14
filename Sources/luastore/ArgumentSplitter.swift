/// Splits one input line into arguments with redis-cli's rules (`sdssplitargs` in Redis's
/// `sds.c`), so that a line typed at `luastore cli` means exactly what it means to `redis-cli`.
///
/// - Outside quotes, arguments are separated by runs of whitespace.
/// - `"double quotes"` understand `\n \r \t \b \a`, `\xHH` (two hex digits) and `\<any>`
///   (the character itself, so `\"` and `\\`).
/// - `'single quotes'` understand only `\'`.
/// - A closing quote must be followed by whitespace or the end of the line, and every quote
///   must be closed; otherwise the whole line is invalid (`nil`), which redis-cli reports as
///   `Invalid argument(s)`.
///
/// The line is bytes, not text: arguments may hold any byte, including invalid UTF-8.
/// Like the C original, which sees a NUL-terminated string, the line ends at its first NUL.
///
/// - Complexity: O(n) in the length of the line.
enum ArgumentSplitter {
    /// The arguments of `line`, or `nil` if its quoting is unbalanced or malformed.
    static func split(_ line: some Collection<UInt8>) -> [[UInt8]]? {
        // The C code reads one byte past the current one; a NUL sentinel makes that safe here.
        var bytes = Array(line.prefix { $0 != 0 })
        bytes.append(0)
        var arguments: [[UInt8]] = []
        var p = 0
        while true {
            while bytes[p] != 0 && isCSpace(bytes[p]) { p += 1 }
            if bytes[p] == 0 { return arguments }
            var current: [UInt8] = []
            var inDoubleQuotes = false
            var inSingleQuotes = false
            var done = false
            while !done {
                let c = bytes[p]
                if inDoubleQuotes {
                    if c == UInt8(ascii: "\\") && bytes[p + 1] == UInt8(ascii: "x")
                        && hexValue(bytes[p + 2]) != nil && hexValue(bytes[p + 3]) != nil
                    {
                        current.append(hexValue(bytes[p + 2])! << 4 | hexValue(bytes[p + 3])!)
                        p += 3
                    } else if c == UInt8(ascii: "\\") && bytes[p + 1] != 0 {
                        p += 1
                        current.append(unescaped(bytes[p]))
                    } else if c == UInt8(ascii: "\"") {
                        if bytes[p + 1] != 0 && !isCSpace(bytes[p + 1]) { return nil }
                        done = true
                    } else if c == 0 {
                        return nil
                    } else {
                        current.append(c)
                    }
                } else if inSingleQuotes {
                    if c == UInt8(ascii: "\\") && bytes[p + 1] == UInt8(ascii: "'") {
                        p += 1
                        current.append(UInt8(ascii: "'"))
                    } else if c == UInt8(ascii: "'") {
                        if bytes[p + 1] != 0 && !isCSpace(bytes[p + 1]) { return nil }
                        done = true
                    } else if c == 0 {
                        return nil
                    } else {
                        current.append(c)
                    }
                } else {
                    switch c {
                    // Only these four end an unquoted argument; `\v` and `\f` are skipped
                    // between arguments (isspace) but kept inside one, as in sds.c.
                    case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), 0:
                        done = true
                    case UInt8(ascii: "\""): inDoubleQuotes = true
                    case UInt8(ascii: "'"): inSingleQuotes = true
                    default: current.append(c)
                    }
                }
                if bytes[p] != 0 { p += 1 }
            }
            arguments.append(current)
        }
    }

    /// C's `isspace` in the "C" locale (bytes above 0x7f are never space).
    static func isCSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (0x09...0x0d).contains(c)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func unescaped(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "n"): return UInt8(ascii: "\n")
        case UInt8(ascii: "r"): return UInt8(ascii: "\r")
        case UInt8(ascii: "t"): return UInt8(ascii: "\t")
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "a"): return 0x07
        default: return c
        }
    }
}
