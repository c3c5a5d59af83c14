import Testing
@testable import LuaStoreCore

/// ``Reply/downgradedToRESP2()``: what Redis's `addReply*` functions send a RESP2 client for
/// each RESP3 kind.
@Suite struct ReplyTests {
    @Test func downgradeTable() {
        let cases: [(Reply, Reply)] = [
            (.double(3.25), .bulk("3.25")),
            (.double(0.1), .bulk("0.10000000000000001")),
            (.double(3), .bulk("3")),
            (.double(-0.0), .bulk("-0")),
            (.double(1e300), .bulk("1.0000000000000001e+300")),
            (.double(.infinity), .bulk("inf")),
            (.double(-.infinity), .bulk("-inf")),
            (.double(-.nan), .bulk("-nan")),
            (.boolean(true), .integer(1)),
            (.boolean(false), .integer(0)),
            (.bigNumber("12345678901234567890"), .bulk("12345678901234567890")),
            (.verbatim(format: "txt", text: "hello"), .bulk("hello")),
            (.map([.init(key: .bulk("a"), value: .double(1.5)), .init(key: .integer(2), value: .null)]),
             .array([.bulk("a"), .bulk("1.5"), .integer(2), .null])),
            (.set([.bulk("x"), .boolean(true)]), .array([.bulk("x"), .integer(1)])),
            (.array([.bulk("m"), .array([.double(2)])]), .array([.bulk("m"), .array([.bulk("2")])])),
            (.nullArray, .nullArray),
            (.status("OK"), .status("OK")),
            (.error("ERR x"), .error("ERR x")),
        ]
        for (reply, expected) in cases {
            #expect(reply.downgradedToRESP2() == expected, "\(reply)")
        }
    }
}
