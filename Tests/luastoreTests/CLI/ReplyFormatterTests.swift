import LuaStore
import Testing
@testable import luastore

/// Reply kinds the differential suite cannot get from redis-server 7.0 + redis-cli 7.0, and
/// a few anchors for the rest.
@Suite struct ReplyFormatterTests {
    private func human(_ reply: Reply) -> String {
        String(decoding: ReplyFormatter.format(reply, mode: .human), as: UTF8.self)
    }

    private func raw(_ reply: Reply) -> String {
        String(decoding: ReplyFormatter.format(reply, mode: .raw), as: UTF8.self)
    }

    @Test func bigNumbersPrintAsRedisCLI72Does() {
        #expect(human(.bigNumber("1234567999999999999999999999999999999")) == "(big number) 1234567999999999999999999999999999999\n")
        #expect(raw(.bigNumber("-12")) == "-12\n")
    }

    @Test func nullArrayIsNil() {
        #expect(human(.nullArray) == "(nil)\n")
        #expect(raw(.nullArray) == "\n")
    }

    @Test func nestedIndexesAlignToTheWidestIndex() {
        let inner = Reply.array((1...10).map { .integer(Int64($0)) })
        let text = human(.array([inner, .bulk("x")]))
        #expect(text.hasPrefix("1)  1) (integer) 1\n    2) (integer) 2\n"))
        #expect(text.contains("   10) (integer) 10\n2) \"x\"\n"))
    }

    @Test func mapValuesThatSpanLinesStartOnTheirOwnLine() {
        let map = Reply.map([
            .init(key: .bulk("one"), value: .array([.integer(1)])),
            .init(key: .bulk("two"), value: .array([.integer(1), .integer(2)])),
        ])
        #expect(human(map) == "1# \"one\" => 1) (integer) 1\n2# \"two\" => \n   1) (integer) 1\n   2) (integer) 2\n")
        #expect(raw(map) == "one 1\ntwo 1\n2\n")
    }

    @Test func emptyAggregatesNameTheirKind() {
        #expect(human(.array([])) == "(empty array)\n")
        #expect(human(.set([])) == "(empty set)\n")
        #expect(human(.map([])) == "(empty hash)\n")
    }

    @Test func textRepliesStopAtNulInTheHumanForm() {
        #expect(human(.error("ERR a\u{0}b")) == "(error) ERR a\n")
        #expect(human(.status("OK\u{0}x")) == "OK\n")
        #expect(raw(.error("ERR x")) == "ERR x\n\n")
    }

    @Test func doublesUseRedisServersText() {
        #expect(ReplyFormatter.doubleText(0.1) == "0.10000000000000001")
        #expect(ReplyFormatter.doubleText(3.0) == "3")
        #expect(ReplyFormatter.doubleText(-.infinity) == "-inf")
    }

    @Test func reportCommandsPrintVerbatim() {
        #expect(ReplyFormatter.printsVerbatim([Array("INFO".utf8)]))
        #expect(ReplyFormatter.printsVerbatim([Array("client".utf8), Array("LIST".utf8)]))
        #expect(!ReplyFormatter.printsVerbatim([Array("CLIENT".utf8)]))
        #expect(!ReplyFormatter.printsVerbatim([Array("latency".utf8), Array("doctor".utf8), Array("x".utf8)]))
        #expect(ReplyFormatter.format(.bulk("a\nb"), mode: .human, verbatim: true) == Array("a\nb".utf8))
    }
}
