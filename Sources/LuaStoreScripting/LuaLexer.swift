/// A Lua 5.4 lexer that splits a chunk into tokens without interpreting them: enough to
/// tell code from strings and comments, names from keywords, and where each token starts.
///
/// It follows `llex.c`: short strings with every escape (`\\`, `\"`, `\z`, `\ddd`, `\x`,
/// `\u{...}`, a backslash before a line break), long strings and long comments of any
/// level (`[==[ ... ]==]`), numerals as `read_numeral` reads them (hexadecimal with binary
/// exponents, decimal exponents with a sign), names, and every operator (`...`, `..`,
/// `==`, `~=`, `<=`, `>=`, `<<`, `>>`, `//`, `::`, single characters). Input that Lua
/// itself would reject (an unfinished string or long bracket, a byte that starts no token)
/// makes ``tokenize(_:)`` return nil.
///
/// # Thread safety
/// Pure functions: safe from any thread.
enum LuaLexer {
    enum Kind: Equatable {
        case name
        case keyword
        case number
        case string
        /// An operator or punctuation; its bytes are the token's text.
        case symbol
    }

    struct Token: Equatable {
        var kind: Kind
        /// Byte range of the token in the source (a string's range includes its quotes or brackets).
        var start: Int
        var end: Int
    }

    static let keywords: Set<[UInt8]> = Set([
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ].map { Array($0.utf8) })

    private static let threeByteSymbols: [[UInt8]] = [Array("...".utf8)]
    private static let twoByteSymbols: [[UInt8]] = ["..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::"].map { Array($0.utf8) }
    private static let oneByteSymbols: Set<UInt8> = Set("+-*/%^#&~|<>=(){}[];:,.".utf8)

    /// Every token of `source`, comments and blanks left out; nil when Lua would not lex it.
    static func tokenize(_ source: [UInt8]) -> [Token]? {
        var tokens: [Token] = []
        tokens.reserveCapacity(source.count / 4)
        let n = source.count
        var i = 0
        while i < n {
            let b = source[i]
            if isBlank(b) {
                i += 1
                continue
            }
            let start = i
            if b == UInt8(ascii: "-"), i + 1 < n, source[i + 1] == UInt8(ascii: "-") {
                i += 2
                if let level = longBracketLevel(source, at: i) {
                    guard let end = longBracketEnd(source, from: i, level: level) else { return nil }
                    i = end
                } else {
                    while i < n, source[i] != UInt8(ascii: "\n"), source[i] != UInt8(ascii: "\r") { i += 1 }
                }
                continue
            }
            if isNameStart(b) {
                while i < n, isNameByte(source[i]) { i += 1 }
                let kind: Kind = keywords.contains(Array(source[start..<i])) ? .keyword : .name
                tokens.append(Token(kind: kind, start: start, end: i))
                continue
            }
            if isDigit(b) || (b == UInt8(ascii: ".") && i + 1 < n && isDigit(source[i + 1])) {
                i = numeralEnd(source, from: i)
                tokens.append(Token(kind: .number, start: start, end: i))
                continue
            }
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                guard let end = shortStringEnd(source, from: i) else { return nil }
                i = end
                tokens.append(Token(kind: .string, start: start, end: i))
                continue
            }
            if b == UInt8(ascii: "["), let level = longBracketLevel(source, at: i) {
                guard let end = longBracketEnd(source, from: i, level: level) else { return nil }
                i = end
                tokens.append(Token(kind: .string, start: start, end: i))
                continue
            }
            if let length = symbolLength(source, at: i) {
                i += length
                tokens.append(Token(kind: .symbol, start: start, end: i))
                continue
            }
            return nil
        }
        return tokens
    }

    // MARK: - Pieces

    private static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
    }

    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func isNameByte(_ b: UInt8) -> Bool { isNameStart(b) || isDigit(b) }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    /// `read_numeral`: hex digits and dots, an exponent mark (`Ee`, or `Pp` after `0x`)
    /// with an optional sign, then one trailing letter (which Lua reports as malformed).
    private static func numeralEnd(_ s: [UInt8], from start: Int) -> Int {
        var i = start
        var exponent: (UInt8, UInt8) = (UInt8(ascii: "E"), UInt8(ascii: "e"))
        if s[i] == UInt8(ascii: "0"), i + 1 < s.count, s[i + 1] == UInt8(ascii: "x") || s[i + 1] == UInt8(ascii: "X") {
            exponent = (UInt8(ascii: "P"), UInt8(ascii: "p"))
            i += 2
        }
        while i < s.count {
            let b = s[i]
            if b == exponent.0 || b == exponent.1 {
                i += 1
                if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            } else if isHexDigit(b) || b == UInt8(ascii: ".") {
                i += 1
            } else {
                break
            }
        }
        if i < s.count, isNameStart(s[i]) { i += 1 }
        return i
    }

    /// The end (after the closing quote) of the short string opening at `start`; nil when
    /// a line break or the end of the source comes first.
    private static func shortStringEnd(_ s: [UInt8], from start: Int) -> Int? {
        let quote = s[start]
        var i = start + 1
        while i < s.count {
            let b = s[i]
            if b == quote { return i + 1 }
            if b == 0x0A || b == 0x0D { return nil }
            if b == UInt8(ascii: "\\") {
                // The escaped byte never ends the string: a quote, a backslash, or a line
                // break (which `\` continues, `\r\n` as one); `\z` skips blanks, line
                // breaks included.
                i += 1
                guard i < s.count else { return nil }
                if s[i] == 0x0D, i + 1 < s.count, s[i + 1] == 0x0A { i += 1 }
                if s[i] == UInt8(ascii: "z") {
                    while i + 1 < s.count, isBlank(s[i + 1]) { i += 1 }
                }
            }
            i += 1
        }
        return nil
    }

    /// The level of a long bracket opening at `start` (`[[` is 0, `[==[` is 2), or nil.
    private static func longBracketLevel(_ s: [UInt8], at start: Int) -> Int? {
        guard start < s.count, s[start] == UInt8(ascii: "[") else { return nil }
        var i = start + 1
        while i < s.count, s[i] == UInt8(ascii: "=") { i += 1 }
        guard i < s.count, s[i] == UInt8(ascii: "[") else { return nil }
        return i - start - 1
    }

    /// The end (after the closing bracket) of the long bracket of `level` opening at
    /// `start`; nil when it never closes.
    private static func longBracketEnd(_ s: [UInt8], from start: Int, level: Int) -> Int? {
        var i = start + level + 2
        while i < s.count {
            if s[i] == UInt8(ascii: "]") {
                var j = i + 1
                while j < s.count, s[j] == UInt8(ascii: "=") { j += 1 }
                if j < s.count, s[j] == UInt8(ascii: "]"), j - i - 1 == level { return j + 1 }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    private static func symbolLength(_ s: [UInt8], at i: Int) -> Int? {
        for symbol in threeByteSymbols where matches(s, at: i, symbol) { return 3 }
        for symbol in twoByteSymbols where matches(s, at: i, symbol) { return 2 }
        return oneByteSymbols.contains(s[i]) ? 1 : nil
    }

    private static func matches(_ s: [UInt8], at i: Int, _ symbol: [UInt8]) -> Bool {
        guard i + symbol.count <= s.count else { return false }
        for k in 0..<symbol.count where s[i + k] != symbol[k] { return false }
        return true
    }
}
