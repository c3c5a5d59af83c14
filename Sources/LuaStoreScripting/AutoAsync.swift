/// The auto-async source transformation (Dragonfly's `lua_auto_async`).
///
/// A `redis.call(` / `redis.pcall(` that starts a line is a statement whose result is
/// discarded, unless the previous code line ends in something that continues an expression
/// (`=`, `,`, `(`, an operator, `return`, `and`, ...). Such calls become `redis.acall(` /
/// `redis.apcall(`: the host queues them and runs the queue at the next synchronous call,
/// at the end of the script, or when it decides to.
///
/// Known limits, on purpose (a full parser is not worth it): calls inside multi-line
/// strings/comments that start a line are rewritten too; a statement call not at the start
/// of its line (`if x then redis.call(...) end`) stays synchronous; `redis.call(...)[1] = v`
/// would break (it is not valid as an expression statement in practice).
///
/// # Thread safety
/// Pure functions: safe from any thread.
enum AutoAsync {
    private static let continuationWords: Set<[UInt8]> = Set(
        ["return", "and", "or", "not", "in", "until", "while", "if", "elseif", "local"].map { Array($0.utf8) })
    private static let continuationSuffixes: [[UInt8]] = [
        "=", ",", "(", "[", "{", "..", "+", "-", "*", "/", "%", "^", "#", "<", ">", "~", "&", "|",
    ].map { Array($0.utf8) }
    private static let rewrites: [(from: [UInt8], to: [UInt8])] = [
        (Array("redis.call(".utf8), Array("redis.acall(".utf8)),
        (Array("redis.pcall(".utf8), Array("redis.apcall(".utf8)),
    ]

    /// Works on bytes: scripts may hold any bytes in their string literals.
    static func rewrite(_ source: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.count + 64)
        var previousCode: ArraySlice<UInt8> = []
        var start = 0
        while start <= source.count {
            let end = source[start...].firstIndex(of: UInt8(ascii: "\n")) ?? source.count
            let line = source[start..<end]
            let indent = line.prefix(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            let body = line.dropFirst(indent.count)
            var rewritten = false
            if !continues(previousCode) {
                for rule in rewrites where body.starts(with: rule.from) {
                    out += indent
                    out += rule.to
                    out += body.dropFirst(rule.from.count)
                    rewritten = true
                    break
                }
            }
            if !rewritten { out += line }
            let code = trimmedCode(line)
            if !code.isEmpty { previousCode = code }
            if end < source.count { out.append(UInt8(ascii: "\n")) }
            start = end + 1
        }
        return out
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }

    private static func continues(_ code: ArraySlice<UInt8>) -> Bool {
        if continuationSuffixes.contains(where: { code.reversed().starts(with: $0.reversed()) }) { return true }
        let lastWord = code.reversed().prefix(while: isWordByte).reversed()
        return continuationWords.contains(Array(lastWord))
    }

    /// The line without a trailing `--` comment (ignoring `--` inside simple quotes) and
    /// without trailing blanks.
    private static func trimmedCode(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var quote: UInt8?
        var previous: UInt8 = 0
        var end = line.endIndex
        for i in line.indices {
            let b = line[i]
            if let q = quote {
                if b == q && previous != UInt8(ascii: "\\") { quote = nil }
            } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                quote = b
            } else if b == UInt8(ascii: "-") && previous == UInt8(ascii: "-") {
                end = i - 1
                break
            }
            previous = b
        }
        var code = line[line.startIndex..<end]
        while let last = code.last, last == 0x20 || last == 0x09 || last == 0x0D { code = code.dropLast() }
        return code
    }
}
