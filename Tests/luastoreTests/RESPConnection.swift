import Foundation
import LuaStore
import Synchronization
@testable import luastore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking RESP2/RESP3 client for the differential tests: it lets the real
/// redis-server stand in as the ``CommandExecutor`` behind ``CLISession``, so that the
/// splitter and formatter are compared with redis-cli on exactly the replies redis-cli saw.
///
/// # Thread safety
/// The socket and read buffer sit behind a `Mutex`; one command is in flight at a time.
final class RESPConnection: CommandExecutor, Sendable {
    private struct State {
        var socket: Int32
        var buffer: [UInt8] = []
        var position = 0
    }

    private let state: Mutex<State>

    /// Connects to 127.0.0.1:`port`; with `resp3`, sends `HELLO 3` first (as `redis-cli -3`).
    init(port: UInt16, resp3: Bool = false) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw TestFailure("connect to \(port): errno \(errno)")
        }
        // Bound every read: a protocol bug must fail the test, not hang it.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        state = Mutex(State(socket: fd))
        if resp3 { _ = execute(["HELLO", "3"].map { ByteString($0) }) }
    }

    deinit {
        state.withLock { _ = close($0.socket) }
    }

    func execute(_ argv: [ByteString]) -> Reply {
        state.withLock { state in
            var request = Array("*\(argv.count)\r\n".utf8)
            for argument in argv {
                request += Array("$\(argument.count)\r\n".utf8) + argument.bytes + Array("\r\n".utf8)
            }
            request.withUnsafeBytes { raw in
                var sent = 0
                while sent < raw.count {
                    let n = send(state.socket, raw.baseAddress! + sent, raw.count - sent, 0)
                    if n <= 0 { return }
                    sent += n
                }
            }
            return (try? Self.readReply(&state)) ?? .error("TEST connection failed")
        }
    }

    private static func readReply(_ state: inout State) throws -> Reply {
        let line = try readLine(&state)
        guard let kind = line.first else { throw TestFailure("empty reply line") }
        let body = String(decoding: line.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "+"): return .status(body)
        case UInt8(ascii: "-"): return .error(body)
        case UInt8(ascii: ":"): return .integer(Int64(body)!)
        case UInt8(ascii: "_"): return .null
        case UInt8(ascii: "#"): return .boolean(body == "t")
        case UInt8(ascii: "("): return .bigNumber(body)
        case UInt8(ascii: ","):
            switch body {
            case "inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            default: return .double(Double(body)!)
            }
        case UInt8(ascii: "$"), UInt8(ascii: "="):
            let length = Int(body)!
            if length < 0 { return .null }
            let bytes = try readExactly(length + 2, &state).dropLast(2)
            if kind == UInt8(ascii: "$") { return .bulk(ByteString(bytes)) }
            return .verbatim(format: String(decoding: bytes.prefix(3), as: UTF8.self),
                             text: String(decoding: bytes.dropFirst(4), as: UTF8.self))
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"):
            let count = Int(body)!
            if count < 0 { return .nullArray }
            let elements = try (0..<count).map { _ in try readReply(&state) }
            return kind == UInt8(ascii: "~") ? .set(elements) : .array(elements)
        case UInt8(ascii: "%"):
            return .map(try (0..<Int(body)!).map { _ in
                Reply.MapEntry(key: try readReply(&state), value: try readReply(&state))
            })
        default:
            throw TestFailure("unknown RESP type \(kind)")
        }
    }

    private static func readLine(_ state: inout State) throws -> [UInt8] {
        while true {
            if let cr = state.buffer[state.position...].firstIndex(of: UInt8(ascii: "\r")),
               cr + 1 < state.buffer.count
            {
                let line = Array(state.buffer[state.position..<cr])
                state.position = cr + 2
                return line
            }
            try fill(&state)
        }
    }

    private static func readExactly(_ count: Int, _ state: inout State) throws -> [UInt8] {
        while state.buffer.count - state.position < count { try fill(&state) }
        defer { state.position += count }
        return Array(state.buffer[state.position..<(state.position + count)])
    }

    private static func fill(_ state: inout State) throws {
        state.buffer.removeFirst(state.position)
        state.position = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(state.socket, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw TestFailure("connection closed or timed out") }
        state.buffer += chunk[0..<n]
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
