import LuaStoreCore
import Testing
import TestSupport

@Suite("RESP client against redis-server")
struct RESPClientTests {
    @Test("every RESP2 reply kind parses, binary-safe")
    func replyKinds() throws {
        try RedisServer.with { server in
            let client = try server.connect()
            let binary = ByteString([0x00, 0x0D, 0x0A, 0xFF, 0x24])
            #expect(try client.call(["SET", "k", binary]) == .ok)
            #expect(try client.call(["GET", "k"]) == .bulk(binary))
            #expect(try client.call("GET", "missing") == .null)
            #expect(try client.call("INCR", "n") == .integer(1))
            #expect(try client.call("INCR", "k") == .error("ERR value is not an integer or out of range"))
            #expect(try client.call("MGET", "k", "missing") == .array([.bulk(binary), .null]))
            #expect(try client.call("SET", "e", "") == .ok)
            #expect(try client.call("GET", "e") == .bulk(""))
            // A blocking pop on an empty list inside MULTI answers the null array at once.
            let replies = try client.send([["MULTI"], ["BLPOP", "nolist", "0"], ["EXEC"]])
            #expect(replies == [.ok, .status("QUEUED"), .array([.nullArray])])
        }
    }

    @Test("10,000 pipelined commands come back in order")
    func pipelining() throws {
        try RedisServer.with { server in
            let client = try server.connect()
            let commands = (0..<10_000).map { _ in ["INCR", "counter"] as [ByteString] }
            let replies = try client.send(commands)
            #expect(replies == (1...10_000).map { Reply.integer(Int64($0)) })
        }
    }

    @Test("a missing redis-server is an error naming the package, not a skip")
    func missingServerFails() {
        #expect {
            try RedisServer.locateExecutable(environment: ["PATH": "/nonexistent"], standardLocations: [])
        } throws: { error in
            String(describing: error).contains("apt-get install -y redis-server")
        }
    }

    @Test("RESP encoding of replies")
    func encoding() {
        #expect(RESP.encode(.array([.status("OK"), .integer(-3), .bulk("a\r\n"), .null, .nullArray, .error("ERR x")]))
                == Array("*6\r\n+OK\r\n:-3\r\n$3\r\na\r\n\r\n$-1\r\n*-1\r\n-ERR x\r\n".utf8))
    }
}
