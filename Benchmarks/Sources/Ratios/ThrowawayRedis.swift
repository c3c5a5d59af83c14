import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A redis-server on a free loopback port for the length of one measurement, with
/// redis-cli and redis-benchmark pointed at it. Nil from `init` when the Debian tools are
/// missing.
final class ThrowawayRedis {
    let port: Int
    private let server: Process

    init?() {
        guard let port = ThrowawayRedis.freePort() else { return nil }
        self.port = port
        server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        server.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        server.standardOutput = FileHandle.nullDevice
        guard (try? server.run()) != nil else { return nil }
        for _ in 0..<50 where cli(["ping"])?.contains("PONG") != true { usleep(100_000) }
    }

    /// Stops the server (SIGKILL: a redis-server started from a test process may ignore
    /// SIGTERM).
    func stop() {
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
    }

    /// `redis-cli -p PORT args...`
    func cli(_ arguments: [String]) -> String? {
        ThrowawayRedis.run("/usr/bin/redis-cli", ["-p", "\(port)"] + arguments)
    }

    /// Requests per second of `redis-benchmark -p PORT options... --csv -q command...`.
    func requestsPerSecond(options: [String], command: [String]) -> Double? {
        let args = ["-p", "\(port)"] + options + ["-q", "--csv"] + command
        // "name","rps",...: the last line is the command's row.
        guard let csv = ThrowawayRedis.run("/usr/bin/redis-benchmark", args),
              let fields = csv.split(separator: "\n").last?.split(separator: ","), fields.count > 1 else { return nil }
        return Double(fields[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }

    /// INFO memory's used_memory.
    func usedMemory() -> Int? {
        guard let info = cli(["INFO", "memory"]) else { return nil }
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix("used_memory:") {
            return Int(line.dropFirst("used_memory:".count))
        }
        return nil
    }

    /// Runs a tool and returns its standard output.
    private static func run(_ path: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// A loopback port nobody listens on (bound to port 0, then released).
    private static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
