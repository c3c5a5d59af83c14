/// The auto-async source transformation (Dragonfly's `lua_auto_async`), on Lua tokens.
///
/// A `redis.call(...)` / `redis.pcall(...)` that is a whole statement discards its value;
/// it becomes `redis.acall(...)` / `redis.apcall(...)`, which the host queues (see
/// ``ScriptHost/enqueue(_:raising:)``). A call is a whole statement when
///
/// - it starts where a statement can start: at the start of the chunk, or after `;`,
///   `then`, `do`, `else`, `end`, `repeat`, `break`, or after a token that ends an
///   expression (a name, a literal, `...`, `)`, `]`, `}`), since in Lua an expression
///   followed by a name is two statements;
/// - and what follows its closing parenthesis starts a new statement or ends a block:
///   the end of the chunk, `;`, a name, `::`, or a keyword other than `and`, `or`, `in`,
///   `then`, `not` and the literals. Anything else (an operator, `.`, `:`, `[`, `(`, a
///   string or a table constructor) uses the value, possibly across lines.
///
/// So `local x = redis.call(...)`, `return redis.call(...)`, arguments, conditions, table
/// constructors and `redis.call(...) .. x` on the next line all stay synchronous, and a
/// mention inside a string or comment is never a token at all. The rewrite only inserts
/// `a` before `call`/`pcall`, so line numbers in error messages do not change.
///
/// A script the lexer cannot read, or one that mentions `redis` other than as
/// `redis.<name>` or mentions `_ENV` (either could make `redis` mean another table), is
/// left unchanged: it runs synchronously, and Lua reports its errors as usual.
///
/// # Thread safety
/// Pure functions: safe from any thread.
enum AutoAsync {
    /// The source with every statement-level call rewritten; the source itself when there
    /// is none or the script cannot be classified.
    static func rewrite(_ source: [UInt8]) -> [UInt8] {
        let positions = rewritePositions(source)
        guard !positions.isEmpty else { return source }
        var out: [UInt8] = []
        out.reserveCapacity(source.count + positions.count)
        var copied = 0
        for position in positions {
            out += source[copied..<position]
            out.append(UInt8(ascii: "a"))
            copied = position
        }
        out += source[copied...]
        return out
    }

    /// Byte offsets of the `call` / `pcall` names to prefix with `a`, in order.
    static func rewritePositions(_ source: [UInt8]) -> [Int] {
        guard let tokens = LuaLexer.tokenize(source) else { return [] }
        let text = { (t: LuaLexer.Token) in source[t.start..<t.end] }
        var positions: [Int] = []
        for (i, token) in tokens.enumerated() where token.kind == .name {
            let word = text(token)
            if word.elementsEqual("_ENV".utf8) { return [] }
            guard word.elementsEqual("redis".utf8) else { continue }
            // redis . name
            guard i + 2 < tokens.count, isSymbol(tokens[i + 1], ".", in: source), tokens[i + 2].kind == .name else {
                return []
            }
            let method = text(tokens[i + 2])
            guard method.elementsEqual("call".utf8) || method.elementsEqual("pcall".utf8),
                  i + 3 < tokens.count, isSymbol(tokens[i + 3], "(", in: source),
                  startsStatement(after: i > 0 ? tokens[i - 1] : nil, in: source),
                  let close = matchingParenthesis(tokens, from: i + 3, in: source),
                  endsStatement(before: close + 1 < tokens.count ? tokens[close + 1] : nil, in: source)
            else { continue }
            positions.append(tokens[i + 2].start)
        }
        return positions
    }

    private static let statementOpeners: Set<[UInt8]> = Set(
        [";", "then", "do", "else", "end", "repeat", "break", "...", ")", "]", "}"].map { Array($0.utf8) })
    private static let expressionKeywords: Set<[UInt8]> = Set(
        ["and", "or", "in", "then", "not", "nil", "true", "false"].map { Array($0.utf8) })

    /// Whether a statement can start right after `previous` (nil: the start of the chunk).
    static func startsStatement(after previous: LuaLexer.Token?, in source: [UInt8]) -> Bool {
        guard let previous else { return true }
        switch previous.kind {
        case .name, .number, .string: return true
        case .keyword:
            let word = Array(source[previous.start..<previous.end])
            return statementOpeners.contains(word) || ["nil", "true", "false"].contains { $0.utf8.elementsEqual(word) }
        case .symbol:
            return statementOpeners.contains(Array(source[previous.start..<previous.end]))
        }
    }

    /// Whether `next` (nil: the end of the chunk) cannot continue the expression before it.
    static func endsStatement(before next: LuaLexer.Token?, in source: [UInt8]) -> Bool {
        guard let next else { return true }
        switch next.kind {
        case .name: return true
        case .number, .string: return false
        case .keyword: return !expressionKeywords.contains(Array(source[next.start..<next.end]))
        case .symbol: return isSymbol(next, ";", in: source) || isSymbol(next, "::", in: source)
        }
    }

    /// The index of the `)` closing the `(` at `open`, counting every bracket kind.
    private static func matchingParenthesis(_ tokens: [LuaLexer.Token], from open: Int, in source: [UInt8]) -> Int? {
        var depth = 0
        var i = open
        while i < tokens.count {
            let token = tokens[i]
            if token.kind == .symbol, token.end - token.start == 1 {
                switch source[token.start] {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 { return source[token.start] == UInt8(ascii: ")") ? i : nil }
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    private static func isSymbol(_ token: LuaLexer.Token, _ symbol: String, in source: [UInt8]) -> Bool {
        token.kind == .symbol && source[token.start..<token.end].elementsEqual(symbol.utf8)
    }
}
