#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaStoreCore

/// A minimal synchronous RESP2 (and, after ``hello(_:)``, RESP3) client over a blocking
/// POSIX TCP socket, for talking to the reference redis-server in tests. `send` writes a whole batch before reading any reply
/// (pipelining), so thousands of commands cost one or two round trips.
///
/// # Thread safety
/// Not thread-safe: one test owns one client.
public final class RESPClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var position = 0

    /// Connects to `127.0.0.1:port`, failing after `timeoutSeconds` on reads and writes.
    public init(port: UInt16, timeoutSeconds: Int = 10) throws {
        // The socket lives in a local until it is connected: once `self.fd` is set the
        // object is fully initialised, so a throw would also run `deinit`, and closing the
        // descriptor here as well would close it twice. The second close could hit a
        // descriptor another test's thread had just opened with the same number (it once
        // closed a redis-server spawn's lifeline pipe: posix_spawn failed with EBADF).
        let socketFD = tcpSocket()
        guard socketFD >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(socketFD)
            throw Failure(description: "connect(127.0.0.1:\(port)) failed: errno \(code)")
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketFD, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        fd = socketFD
    }

    deinit { close(fd) }

    /// Sends one command and reads its reply.
    public func call(_ argv: [ByteString]) throws -> Reply {
        try send([argv])[0]
    }

    /// Sends one command given as text arguments.
    public func call(_ argv: String...) throws -> Reply {
        try call(argv.map { ByteString($0) })
    }

    /// Reads the next reply without sending anything: a message pushed to a connection
    /// in subscribe mode.
    public func receive() throws -> Reply {
        try readReply()
    }

    /// Pipelines `commands`: writes them all, then reads one reply per command, in order.
    /// Large batches are written in chunks so that neither side's socket buffer can fill up
    /// while the other is still writing.
    public func send(_ commands: [[ByteString]]) throws -> [Reply] {
        var replies: [Reply] = []
        replies.reserveCapacity(commands.count)
        var start = 0
        while start < commands.count {
            var end = start
            var bytes: [UInt8] = []
            while end < commands.count && (end == start || bytes.count < 64 * 1024) {
                RESP.encodeCommand(commands[end], into: &bytes)
                end += 1
            }
            try writeAll(bytes)
            for _ in start..<end { replies.append(try readReply()) }
            start = end
        }
        return replies
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                systemSend(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "send() failed: errno \(errno)")
            }
            offset += n
        }
    }

    // MARK: Reply parsing

    /// Drops consumed bytes. Called only where no index into `buffer` is held.
    private func compact() {
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        } else if position > 1 << 20 {
            buffer.removeFirst(position)
            position = 0
        }
    }

    /// Appends at least one received byte to `buffer` (indices stay valid).
    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n == 0 { throw Failure(description: "redis-server closed the connection") }
            if errno == EINTR { continue }
            throw Failure(description: "recv() failed (errno \(errno)): no reply within the timeout")
        }
    }

    /// One line without its CRLF.
    private func readLine() throws -> [UInt8] {
        compact()
        var searchFrom = position
        while true {
            if let cr = buffer[searchFrom...].firstIndex(of: 13), cr + 1 < buffer.count {
                if buffer[cr + 1] == 10 {
                    let line = Array(buffer[position..<cr])
                    position = cr + 2
                    return line
                }
                searchFrom = cr + 1
                continue
            }
            searchFrom = max(position, buffer.count - 1)
            try fill()
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        compact()
        while buffer.count - position < count + 2 { try fill() }
        let bytes = Array(buffer[position..<position + count])
        guard buffer[position + count] == 13, buffer[position + count + 1] == 10 else {
            throw Failure(description: "protocol error: bulk string not followed by CRLF")
        }
        position += count + 2
        return bytes
    }

    private func readReply() throws -> Reply {
        let line = try readLine()
        guard let kind = line.first else { throw Failure(description: "protocol error: empty line") }
        let rest = String(decoding: line.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "+"): return .status(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"):
            guard let n = Int64(rest) else { throw Failure(description: "protocol error: integer \(rest)") }
            return .integer(n)
        case UInt8(ascii: "$"):
            guard let n = Int(rest) else { throw Failure(description: "protocol error: bulk length \(rest)") }
            if n < 0 { return .null }
            return .bulk(ByteString(try readBytes(n)))
        case UInt8(ascii: "*"):
            guard let n = Int(rest) else { throw Failure(description: "protocol error: array length \(rest)") }
            if n < 0 { return .nullArray }
            var items: [Reply] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try readReply()) }
            return .array(items)
        // RESP3 (after HELLO 3)
        case UInt8(ascii: "_"): return .null
        case UInt8(ascii: ","):
            guard let d = Double(rest) else { throw Failure(description: "protocol error: double \(rest)") }
            return .double(d)
        case UInt8(ascii: "#"): return .boolean(rest == "t")
        case UInt8(ascii: "("): return .bigNumber(rest)
        case UInt8(ascii: "="):
            guard let n = Int(rest) else { throw Failure(description: "protocol error: verbatim length \(rest)") }
            let body = try readBytes(n)
            return .verbatim(format: String(decoding: body.prefix(3), as: UTF8.self),
                             text: String(decoding: body.dropFirst(4), as: UTF8.self))
        case UInt8(ascii: "%"):
            guard let n = Int(rest) else { throw Failure(description: "protocol error: map length \(rest)") }
            var entries: [Reply.MapEntry] = []
            for _ in 0..<n { entries.append(Reply.MapEntry(key: try readReply(), value: try readReply())) }
            return .map(entries)
        case UInt8(ascii: "~"), UInt8(ascii: ">"):
            // A push (`>`) reads as an array.
            guard let n = Int(rest) else { throw Failure(description: "protocol error: set length \(rest)") }
            var items: [Reply] = []
            for _ in 0..<n { items.append(try readReply()) }
            return kind == UInt8(ascii: "~") ? .set(items) : .array(items)
        default:
            throw Failure(description: "protocol error: unexpected reply type byte \(kind)")
        }
    }

    /// HELLO `version`: the connection speaks RESP2 or RESP3 from then on.
    @discardableResult
    public func hello(_ version: Int) throws -> Reply {
        try call("HELLO", String(version))
    }
}

/// `send(2)` without SIGPIPE (a closed server must fail the test, not kill the process).
private func systemSend(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return send(fd, bytes, count, Int32(MSG_NOSIGNAL))
    #else
    return send(fd, bytes, count, 0)
    #endif
}

/// A new IPv4 stream socket (-1 on failure, errno set).
func tcpSocket() -> Int32 {
    #if canImport(Glibc)
    return socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    return socket(AF_INET, SOCK_STREAM, 0)
    #endif
}

extension sockaddr_in {
    /// `127.0.0.1:port`.
    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
