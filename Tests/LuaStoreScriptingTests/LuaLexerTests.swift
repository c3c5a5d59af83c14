import Testing
@testable import LuaStoreScripting

@Suite struct LuaLexerTests {
    /// (kind, text) of every token.
    func lex(_ source: String) -> [(LuaLexer.Kind, String)]? {
        let bytes = Array(source.utf8)
        return LuaLexer.tokenize(bytes)?.map { ($0.kind, String(decoding: bytes[$0.start..<$0.end], as: UTF8.self)) }
    }

    func texts(_ source: String) -> [String]? { lex(source)?.map(\.1) }

    @Test func namesAndKeywords() {
        let tokens = lex("local _x1 = redis elseif endx end")!
        #expect(tokens.map(\.0) == [.keyword, .name, .symbol, .name, .keyword, .name, .keyword])
        #expect(tokens.map(\.1) == ["local", "_x1", "=", "redis", "elseif", "endx", "end"])
    }

    @Test func numerals() {
        let source = "3 3.0 3.1416 314.16e-2 0.31416E1 34e1 0x0.1E 0xA23p-4 0X1.921FB54442D18P+1 .5 0xff"
        let tokens = lex(source)!
        #expect(tokens.allSatisfy { $0.0 == .number })
        #expect(tokens.map(\.1) == source.split(separator: " ").map(String.init))
        // A decimal exponent takes its sign; a hexadecimal numeral's `e` is a digit, so the
        // minus after it is an operator.
        #expect(texts("1e-2-x") == ["1e-2", "-", "x"])
        #expect(texts("0x1e-2") == ["0x1e", "-", "2"])
        // A numeral runs into a trailing letter, as Lua's (which then reports it malformed).
        #expect(texts("3x") == ["3x"])
        #expect(texts("a.b..c") == ["a", ".", "b", "..", "c"])
    }

    @Test func shortStringsWithEscapes() {
        #expect(lex(#"'a\'b' "c\"d" "\\" 'x'"#)!.map(\.0) == [.string, .string, .string, .string])
        #expect(texts(#"'it\'s' x"#) == [#"'it\'s'"#, "x"])
        #expect(texts("\"a\\\nb\" y") == ["\"a\\\nb\"", "y"])
        #expect(texts("'a\\z\n   b' z") == ["'a\\z\n   b'", "z"])
        #expect(texts(#"'\65\x41\u{41}' w"#) == [#"'\65\x41\u{41}'"#, "w"])
        #expect(texts("'redis.call(\"x\")' q") == ["'redis.call(\"x\")'", "q"])
        // Unfinished: a line break or the end of the source before the closing quote.
        #expect(lex("'abc\nx'") == nil)
        #expect(lex("\"abc") == nil)
        #expect(lex("'abc\\") == nil)
    }

    @Test func longStringsOfAnyLevel() {
        #expect(texts("[[a]] b") == ["[[a]]", "b"])
        #expect(texts("[==[ ]] ]=] ]==] c") == ["[==[ ]] ]=] ]==]", "c"])
        #expect(texts("[=[\nredis.call('x')\n]=] d") == ["[=[\nredis.call('x')\n]=]", "d"])
        #expect(lex("[[a]] b")!.first?.0 == .string)
        #expect(lex("[==[ never closed ]=]") == nil)
        // `[` not followed by a long bracket is an index.
        #expect(texts("t[1] t[ [[k]] ]") == ["t", "[", "1", "]", "t", "[", "[[k]]", "]"])
    }

    @Test func commentsAreSkipped() {
        #expect(texts("a -- redis.call('x')\nb") == ["a", "b"])
        #expect(texts("a --[[ redis.call(\n'x') ]] b") == ["a", "b"])
        #expect(texts("a --[==[ ]] ]==] b") == ["a", "b"])
        #expect(texts("a --[ not long\nb") == ["a", "b"])
        #expect(texts("a --\r\nb") == ["a", "b"])
        #expect(lex("--[[ open") == nil)
    }

    @Test func operators() {
        let source = "... .. == ~= <= >= << >> // :: + - * / % ^ # & ~ | < > = ( ) { } [ ] ; : , ."
        let tokens = lex(source)!
        #expect(tokens.allSatisfy { $0.0 == .symbol })
        #expect(tokens.map(\.1) == source.split(separator: " ").map(String.init))
        #expect(texts("a//b") == ["a", "//", "b"])
        #expect(texts("x=...") == ["x", "=", "..."])
    }

    @Test func bytesThatStartNoTokenFail() {
        #expect(lex("a $ b") == nil)
        #expect(lex("a @ b") == nil)
        #expect(lex("x = '\u{e9}'") != nil)   // any byte inside a string
        #expect(lex("\u{e9} = 1") == nil)
    }
}

@Suite struct AutoAsyncRewriteTests {
    func rewrite(_ source: String) -> String {
        String(decoding: AutoAsync.rewrite(Array(source.utf8)), as: UTF8.self)
    }

    /// True when the single `redis.call`/`pcall` in `source` is rewritten.
    func rewritten(_ source: String) -> Bool {
        let out = rewrite(source)
        return out.contains("redis.acall(") || out.contains("redis.apcall(")
    }

    @Test func statementStarts() {
        #expect(rewritten("redis.call('set', 'a', 1)"))
        #expect(rewrite("redis.pcall('set', 'a', 1)") == "redis.apcall('set', 'a', 1)")
        #expect(rewritten("if x then redis.call('set', 'a', 1) end"))
        #expect(rewritten("if x then y() else redis.call('set', 'a', 1) end"))
        #expect(rewritten("for i = 1, 3 do redis.call('set', 'a', i) end"))
        #expect(rewritten("while x do redis.call('set', 'a', 1) end"))
        #expect(rewritten("repeat redis.call('set', 'a', 1) until true"))
        #expect(rewritten("x = 1; redis.call('set', 'a', 1)"))
        #expect(rewritten("do end redis.call('set', 'a', 1)"))
        #expect(rewritten("f(1) redis.call('set', 'a', 1)"))
        #expect(rewritten("local t = {}\nredis.call('set', 'a', 1)"))
        #expect(rewritten("local y = t[1]\nredis.call('set', 'a', 1)"))
        #expect(rewritten("local y = z\nredis.call('set', 'a', 1)"))
        #expect(rewritten("local y = 'z'\nredis.call('set', 'a', 1)"))
        #expect(rewritten("local y = 2\nredis.call('set', 'a', 1)"))
        #expect(rewritten("local y = nil\nredis.call('set', 'a', 1)"))
        #expect(rewritten("for i = 1, 2 do break redis.call('set', 'a', 1) end"))
    }

    @Test func usedValuesStaySynchronous() {
        #expect(!rewritten("local x = redis.call('get', 'a')"))
        #expect(!rewritten("x = redis.call('get', 'a')"))
        #expect(!rewritten("return redis.call('get', 'a')"))
        #expect(!rewritten("f(redis.call('get', 'a'))"))
        #expect(!rewritten("f(1, redis.call('get', 'a'))"))
        #expect(!rewritten("if redis.call('get', 'a') then end"))
        #expect(!rewritten("while redis.call('get', 'a') do end"))
        #expect(!rewritten("repeat until redis.call('get', 'a')"))
        #expect(!rewritten("local t = {redis.call('get', 'a')}"))
        #expect(!rewritten("local t = {k = redis.call('get', 'a')}"))
        #expect(!rewritten("x = not redis.call('get', 'a')"))
        #expect(!rewritten("x = y and\nredis.call('get', 'a')"))
        #expect(!rewritten("x = y ..\nredis.call('get', 'a')"))
        #expect(!rewritten("x = y +\n  redis.call('get', 'a')"))
        #expect(!rewritten("for _, v in redis.call('keys', '*') do end"))
        #expect(!rewritten("local x\nx = \nredis.call('get', 'a')"))
    }

    @Test func whatFollowsTheCallDecides() {
        #expect(!rewritten("redis.call('get', 'a')\n.. 'x'"))
        #expect(!rewritten("redis.call('get', 'a'):upper()"))
        #expect(!rewritten("redis.call('hgetall', 'a')[1] = 2"))
        #expect(!rewritten("redis.call('get', 'a').x = 1"))
        #expect(!rewritten("redis.call('get', 'a') == 1"))
        #expect(!rewritten("redis.call('get', 'a')\n(f)()"))
        #expect(!rewritten("redis.call('get', 'a') 'x'"))
        #expect(!rewritten("redis.call('get', 'a') {}"))
        #expect(!rewritten("redis.call('get', 'a') and 1"))
        #expect(rewritten("redis.call('set', 'a', 1) x = 1"))
        #expect(rewritten("redis.call('set', 'a', 1) local x = 1"))
        #expect(rewritten("if x then redis.call('set', 'a', 1) elseif y then end"))
        #expect(rewritten("redis.call('set', 'a', 1);"))
        #expect(rewritten("redis.call('set', 'a', 1) return 1"))
        #expect(rewritten("redis.call('set', 'a', 1) ::top::"))
    }

    @Test func nestedCallsAndArguments() {
        #expect(rewrite("redis.call('set', KEYS[1], redis.call('get', 'b'))")
                == "redis.acall('set', KEYS[1], redis.call('get', 'b'))")
        #expect(rewrite("redis.call('set', 'k', f(1, {2, [3] = 4}))") == "redis.acall('set', 'k', f(1, {2, [3] = 4}))")
        #expect(rewrite("redis.call('set', 'a', 1) redis.pcall('set', 'b', 2)")
                == "redis.acall('set', 'a', 1) redis.apcall('set', 'b', 2)")
    }

    @Test func stringsAndCommentsAreNeverRewritten() {
        #expect(rewrite("local s = [[\nredis.call('set', 'a', 1)\n]]") == "local s = [[\nredis.call('set', 'a', 1)\n]]")
        #expect(rewrite("-- redis.call('set', 'a', 1)\nx = 1") == "-- redis.call('set', 'a', 1)\nx = 1")
        #expect(rewrite("--[==[\nredis.call('set', 'a', 1)\n]==]") == "--[==[\nredis.call('set', 'a', 1)\n]==]")
        #expect(rewrite("local s = 'redis.call(\\'set\\')'") == "local s = 'redis.call(\\'set\\')'")
        #expect(rewrite("x = \"a\\\nredis.call('x')\" redis.call('set', 'a', 1)")
                == "x = \"a\\\nredis.call('x')\" redis.acall('set', 'a', 1)")
    }

    @Test func unclassifiableScriptsStayUnchanged() {
        for source in [
            "local redis = {call = print}\nredis.call('set', 'a', 1)",
            "local r = redis\nredis.call('set', 'a', 1)",
            "local _ENV = {}\nredis.call('set', 'a', 1)",
            "redis.call('set', 'a', 1) x = 'unfinished",
            "redis.call('set', 'a', 1) --[[ unfinished",
            "redis.call('set', 'a', 1) $",
        ] {
            #expect(rewrite(source) == source, "\(source)")
        }
    }

    @Test func lineNumbersAndOtherBytesStay() {
        let source = "redis.call('set', 'a', 1)\r\n\n  redis.pcall('set', 'b', 2) -- c\n"
        #expect(rewrite(source) == "redis.acall('set', 'a', 1)\r\n\n  redis.apcall('set', 'b', 2) -- c\n")
        #expect(rewrite("redis.call ( 'set', 'a', 1 )") == "redis.acall ( 'set', 'a', 1 )")
        #expect(rewrite("redis . call('set', 'a', 1)") == "redis . acall('set', 'a', 1)")
    }
}
