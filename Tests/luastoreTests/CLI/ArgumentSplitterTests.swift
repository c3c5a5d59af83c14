import Testing
@testable import luastore

/// redis-cli's `sdssplitargs` rules, case by case (the differential suite checks the same
/// rules end to end against redis-cli itself).
@Suite struct ArgumentSplitterTests {
    private func split(_ line: String) -> [String]? {
        ArgumentSplitter.split(Array(line.utf8))?.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func whitespaceSeparates() {
        #expect(split("SET  key\tvalue \r") == ["SET", "key", "value"])
        #expect(split("") == [])
        #expect(split("   \t ") == [])
    }

    @Test func doubleQuotesUnderstandEscapes() {
        #expect(split(#""a b" "\n\r\t\b\a" "\"\\" "\q""#) == ["a b", "\n\r\t\u{08}\u{07}", "\"\\", "q"])
        #expect(ArgumentSplitter.split(Array(#""\x00\xff\xAb""#.utf8)) == [[0x00, 0xff, 0xab]])
        // Not two hex digits: `\x` is an ordinary escape for `x`.
        #expect(split(#""\x4" "\xZZ""#) == ["x4", "xZZ"])
    }

    @Test func singleQuotesUnderstandOnlyEscapedQuote() {
        #expect(split(#"'it\'s' '\n' '"'"#) == ["it's", #"\n"#, "\""])
    }

    @Test func quotesJoinWithWhatPrecedesThem() {
        #expect(split(#"ab"cd" x'y z'"#) == ["abcd", "xy z"])
        #expect(split(#""" ''"#) == ["", ""])
    }

    @Test func malformedQuotingIsInvalid() {
        #expect(split(#""open"#) == nil)
        #expect(split("'open") == nil)
        #expect(split(#""closed"next"#) == nil)
        #expect(split("'closed'next") == nil)
        #expect(split(#""ends in backslash\""#) == nil)
    }

    @Test func verticalTabSeparatesOnlyBetweenArguments() {
        #expect(split("\u{0B}a\u{0B}b") == ["a\u{0B}b"])
    }

    @Test func lineEndsAtNul() {
        #expect(ArgumentSplitter.split([UInt8(ascii: "a"), 0, UInt8(ascii: "b")]) == [[UInt8(ascii: "a")]])
    }

    @Test func highBytesAreOrdinary() {
        #expect(ArgumentSplitter.split([0xff, 0x20, 0xa0]) == [[0xff], [0xa0]])
    }
}
