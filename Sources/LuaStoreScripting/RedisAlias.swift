/// Binds `redis` to a local of the script's chunk when that cannot change what the script
/// means, so `redis.call(...)` skips two sandbox lookups.
///
/// Every global read goes through the read-only proxy `_ENV` (a miss in an empty table,
/// then its `__index`), and `redis` is itself a read-only proxy, so `redis.call` costs two
/// metamethod-table misses, ~280 instructions a call against ~40 for two plain lookups
/// (callgrind; about 6% of the seed script). A script whose every mention of `redis` is a
/// direct call of one of its functions, `redis.<name>(`, can instead see a local holding
/// the real table: the local is never stored, passed, assigned or indexed any other way,
/// so the unprotected table cannot escape, and the global `redis` it stands for is
/// read-only, so it always held that table anyway.
///
/// The check reads bytes, not tokens: anything it does not recognise (a mention of
/// `redis` in any other shape, `_ENV`, `...` (the prefix takes the chunk's arguments),
/// or `function` before `redis.`, which would assign a field) keeps the plain chunk.
/// Mentions inside strings and comments count too; they can only make it decline.
///
/// # Thread safety
/// Pure functions: safe from any thread.
enum RedisAlias {
    /// Put before the first line (no newline, so line numbers stay the same). The chunk
    /// receives the real table as its argument.
    static let prefix: [UInt8] = Array("local redis = ...; ".utf8)

    static func canAlias(_ source: [UInt8]) -> Bool {
        let n = source.count
        var i = 0
        var mentions = 0
        while i < n {
            let b = source[i]
            if b == UInt8(ascii: "."), i + 2 < n, source[i + 1] == b, source[i + 2] == b { return false }
            guard isIdentifierStart(b), i == 0 || !isIdentifierByte(source[i - 1]) else {
                i += 1
                continue
            }
            var end = i + 1
            while end < n, isIdentifierByte(source[end]) { end += 1 }
            let word = source[i..<end]
            if word.elementsEqual("_ENV".utf8) { return false }
            if word.elementsEqual("redis".utf8) {
                guard isDirectCall(source, after: end), !followsFunctionKeyword(source, before: i) else { return false }
                mentions += 1
            }
            i = end
        }
        return mentions > 0
    }

    /// `.name` then optional blanks then `(`.
    private static func isDirectCall(_ s: [UInt8], after start: Int) -> Bool {
        var j = start
        guard j < s.count, s[j] == UInt8(ascii: ".") else { return false }
        j += 1
        guard j < s.count, isIdentifierStart(s[j]) else { return false }
        while j < s.count, isIdentifierByte(s[j]) { j += 1 }
        while j < s.count, s[j] == UInt8(ascii: " ") || s[j] == UInt8(ascii: "\t") { j += 1 }
        return j < s.count && s[j] == UInt8(ascii: "(")
    }

    /// Whether the code before `position` ends, blanks aside, in a way that could make the
    /// mention a function declaration (`function redis.x()`): the word `function`, or
    /// something that could hide it (the end of a long bracket, or a line holding `--`).
    private static func followsFunctionKeyword(_ s: [UInt8], before position: Int) -> Bool {
        var j = position
        var crossedLine = false
        while j > 0, s[j - 1] == UInt8(ascii: " ") || s[j - 1] == UInt8(ascii: "\t")
                || s[j - 1] == UInt8(ascii: "\n") || s[j - 1] == UInt8(ascii: "\r") {
            if s[j - 1] == UInt8(ascii: "\n") { crossedLine = true }
            j -= 1
        }
        if j > 0, s[j - 1] == UInt8(ascii: "]") { return true }
        if crossedLine {
            var lineStart = j
            while lineStart > 0, s[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
            var k = lineStart
            while k + 1 < j {
                if s[k] == UInt8(ascii: "-"), s[k + 1] == UInt8(ascii: "-") { return true }
                k += 1
            }
        }
        let keyword = Array("function".utf8)
        guard j >= keyword.count, s[(j - keyword.count)..<j].elementsEqual(keyword) else { return false }
        return j == keyword.count || !isIdentifierByte(s[j - keyword.count - 1])
    }

    private static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static func isIdentifierByte(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || (b >= 0x30 && b <= 0x39)
    }
}
