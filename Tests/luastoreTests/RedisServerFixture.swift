import Foundation
@testable import luastore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway `redis-server` on a free loopback port (no persistence), and `redis-cli` /
/// `redis-benchmark` runs against it, for the differential tests.
///
/// Every wait is bounded: the server must answer within 10 s of starting, each redis-cli
/// run must finish within 20 s, and ``stop()`` kills by pid.
///
/// # Thread safety
/// Used by one test at a time; each test starts its own server.
final class RedisServerFixture {
    let port: UInt16
    private let server: ChildProcess
    private let directory: URL

    /// Whether redis-server, redis-cli and redis-benchmark are installed (the tests that
    /// need them are skipped otherwise).
    static var isAvailable: Bool {
        ["redis-server", "redis-cli", "redis-benchmark"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: "/usr/bin/\($0)")
        }
    }

    init() throws {
        port = try Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("luastore-cli-\(port)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = try ChildProcess("/usr/bin/redis-server", [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--enable-debug-command", "yes",
        ])
        let deadline = Date().addingTimeInterval(10)
        while true {
            if (try? RESPConnection(port: port)) != nil { break }
            guard Date() < deadline, server.isRunning else {
                stop()
                throw TestFailure("redis-server did not start on port \(port)")
            }
            usleep(20_000)
        }
    }

    deinit { stop() }

    /// Stops the server (SIGKILL: it holds nothing worth saving) and reaps it; safe to call
    /// twice.
    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `redis-cli -p PORT <arguments>` with `input` on stdin and returns its stdout.
    func redisCLI(_ arguments: [String], input: [UInt8] = []) throws -> [UInt8] {
        try runTool("/usr/bin/redis-cli", arguments, input: input)
    }

    /// Runs `redis-benchmark -p PORT <arguments>` and returns its stdout.
    func redisBenchmark(_ arguments: [String]) throws -> [UInt8] {
        try runTool("/usr/bin/redis-benchmark", arguments, input: [])
    }

    private func runTool(_ path: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let inputURL = directory.appendingPathComponent("in-\(UUID().uuidString)")
        let outputURL = directory.appendingPathComponent("out-\(UUID().uuidString)")
        try Data(input).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: inputURL)
            try? FileManager.default.removeItem(at: outputURL)
        }
        // Not a terminal, so redis-cli picks the raw form unless told otherwise; make sure
        // no inherited FAKETTY changes that.
        var environment = ProcessInfo.processInfo.environment
        environment["FAKETTY"] = nil
        let tool = try ChildProcess(path, ["-p", String(port)] + arguments,
                                    input: inputURL.path, output: outputURL.path, environment: environment)
        guard tool.wait(seconds: 20) else {
            tool.stop()
            throw TestFailure("\(path) \(arguments) timed out")
        }
        return Array(try Data(contentsOf: outputURL))
    }

    /// A port nobody listens on now: bind to port 0 and read back what the kernel chose.
    private static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw TestFailure("no free port: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// Collects what a ``CLISession`` prints.
struct BufferOutput: OutputSink {
    var bytes: [UInt8] = []
    mutating func write(_ bytes: [UInt8]) { self.bytes += bytes }
}
