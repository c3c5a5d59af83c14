import Testing
import LuaStoreCore

/// Each conformance accepts the replies its table lists and names the mismatch otherwise.
@Suite struct ReplyDecodableTests {
    @Test func integers() throws {
        #expect(try Int(reply: .integer(5)) == 5)
        #expect(try Int64(reply: .integer(-5)) == -5)
        #expect(try Int(reply: .bulk("42")) == 42)
        #expect(try Int(reply: .status("7")) == 7)
        #expect(throws: StoreError.unexpectedReply(expected: "Int", got: .bulk("4.5"))) { try Int(reply: .bulk("4.5")) }
        #expect(throws: StoreError.unexpectedReply(expected: "Int64", got: .null)) { try Int64(reply: .null) }
    }

    @Test func doubles() throws {
        #expect(try Double(reply: .double(1.5)) == 1.5)
        #expect(try Double(reply: .integer(3)) == 3)
        #expect(try Double(reply: .bulk("2.5")) == 2.5)
        #expect(try Double(reply: .bulk("inf")) == .infinity)
        #expect(throws: StoreError.unexpectedReply(expected: "Double", got: .bulk("x"))) { try Double(reply: .bulk("x")) }
    }

    /// Lua true is the integer 1 and false the null reply.
    @Test func booleans() throws {
        #expect(try Bool(reply: .integer(1)))
        #expect(try !Bool(reply: .integer(0)))
        #expect(try !Bool(reply: .null))
        #expect(try Bool(reply: .boolean(true)))
        #expect(throws: StoreError.unexpectedReply(expected: "Bool", got: .bulk("1"))) { try Bool(reply: .bulk("1")) }
    }

    @Test func strings() throws {
        #expect(try String(reply: .bulk("abc")) == "abc")
        #expect(try String(reply: .status("OK")) == "OK")
        #expect(try String(reply: .verbatim(format: "txt", text: "v")) == "v")
        #expect(try ByteString(reply: .bulk(ByteString([0xFF]))) == ByteString([0xFF]))
        #expect(throws: StoreError.unexpectedReply(expected: "String (valid UTF-8)", got: .bulk(ByteString([0xFF])))) {
            try String(reply: .bulk(ByteString([0xFF])))
        }
        #expect(throws: StoreError.unexpectedReply(expected: "String", got: .integer(1))) { try String(reply: .integer(1)) }
    }

    @Test func optionalsArraysDictionaries() throws {
        #expect(try String?(reply: .null) == nil)
        #expect(try String?(reply: .bulk("x")) == "x")
        #expect(try [String](reply: .array([.bulk("a"), .status("b")])) == ["a", "b"])
        #expect(try [Int](reply: .set([.integer(1)])) == [1])
        #expect(try [String?](reply: .array([.bulk("a"), .null])) == ["a", nil])
        let map = Reply.map([.init(key: .bulk("a"), value: .integer(1)), .init(key: .bulk("b"), value: .integer(2))])
        #expect(try [String: Int](reply: map) == ["a": 1, "b": 2])
        #expect(try [String: Int](reply: .array([.bulk("a"), .bulk("1"), .bulk("b"), .bulk("2")])) == ["a": 1, "b": 2])
        #expect(throws: StoreError.unexpectedReply(expected: "Dictionary", got: .array([.bulk("a")]))) {
            try [String: Int](reply: .array([.bulk("a")]))
        }
        // The element that does not fit is named, not the whole array.
        #expect(throws: StoreError.unexpectedReply(expected: "Int", got: .bulk("x"))) {
            try [Int](reply: .array([.integer(1), .bulk("x")]))
        }
        #expect(throws: StoreError.unexpectedReply(expected: "Array", got: .integer(1))) { try [Int](reply: .integer(1)) }
    }

    /// An error reply, at the top or nested, throws that error rather than a mismatch.
    @Test func errorRepliesThrowThemselves() {
        #expect(throws: StoreError.custom("ERR boom")) { try Int(reply: .error("ERR boom")) }
        #expect(throws: StoreError.custom("ERR nested")) { try [Int](reply: .array([.error("ERR nested")])) }
        #expect(throws: StoreError.custom("ERR raw")) { try Reply(reply: .error("ERR raw")) }
    }

    @Test func mismatchMessageSaysWhatWasExpectedAndWhatCame() {
        #expect(StoreError.unexpectedReply(expected: "Int", got: .bulk("abc")).message
                == #"ERR unexpected reply: expected Int, got bulk string "abc""#)
        #expect(StoreError.unexpectedReply(expected: "Bool", got: .array([.null, .null])).message
                == "ERR unexpected reply: expected Bool, got array of 2")
    }
}
