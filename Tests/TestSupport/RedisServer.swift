#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import LuaStoreCore
import Synchronization

/// A throwaway redis-server child process on a free loopback port, for differential tests.
///
/// Started with `--save '' --appendonly no --daemonize no` so that it never touches disk and
/// stays in the foreground. Use ``with(_:)`` so the server is stopped (SIGTERM, and waited
/// for) on every exit path, including a failing or throwing test; `deinit` stops it too.
///
/// The child is spawned with `posix_spawn` and an empty signal mask: test-runner threads
/// block signals, and a child inheriting that mask (as with Foundation's `Process`) would
/// ignore SIGTERM. It runs under a small `sh` guard that holds the read end of a pipe
/// whose write end only this process has: when the test process exits, even by a crash in
/// the code under test, the pipe closes and the guard terminates redis-server, so no server
/// outlives its test run.
///
/// If no redis-server binary is found, starting throws an error that names the package to
/// install: the differential suite must fail, never skip silently.
///
/// # Thread safety
/// Not thread-safe: one test owns one server.
public final class RedisServer {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: UInt16
    /// The guard shell's pid (redis-server is its child).
    private let guardPID: pid_t
    /// Closing it tells the guard to stop redis-server.
    private let lifeline: Int32
    private var running = true
    private let logPath: String

    /// The compact-encoding limits of the redis.conf that redis-server 7.0 ships (its compiled
    /// defaults differ: 512 hash entries), so that the reference converts listpacks where a
    /// packaged Redis does; orders that depend on the encoding are judged by it.
    public static let encodingLimits = [
        "--hash-max-listpack-entries", "128", "--hash-max-listpack-value", "64",
        "--zset-max-listpack-entries", "128", "--zset-max-listpack-value", "64",
        "--set-max-intset-entries", "512", "--list-max-listpack-size", "-2",
    ]

    /// Starts a server, runs `body` with it, and always stops it.
    public static func with<R>(arguments: [String] = [], _ body: (RedisServer) throws -> R) throws -> R {
        let server = try RedisServer(arguments: arguments)
        defer { server.stop() }
        return try body(server)
    }

    /// Starts a server and waits (at most 10 s) until it answers PING. A port taken between
    /// probing and binding (another test's server) is retried on a fresh port. `arguments`
    /// are extra redis-server options (e.g. `--enable-debug-command yes`).
    public init(arguments: [String] = []) throws {
        let executable = try RedisServer.locateExecutable()
        var lastFailure = Failure(description: "redis-server did not start")
        for _ in 0..<5 {
            let port = try RedisServer.freeLoopbackPort()
            let logPath = FileManager.default.temporaryDirectory
                .appendingPathComponent("luastore-redis-\(getpid())-\(port).log").path
            let (pid, lifeline) = try RedisServer.spawn(executable, arguments: [
                "--port", String(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--logfile", logPath, "--dir", FileManager.default.temporaryDirectory.path,
            ] + RedisServer.encodingLimits + arguments)
            if RedisServer.waitForPing(port: port, pid: pid, logPath: logPath, timeoutSeconds: 10) {
                self.port = port
                self.guardPID = pid
                self.lifeline = lifeline
                self.logPath = logPath
                return
            }
            let status = RedisServer.terminate(pid, lifeline: lifeline)
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: logPath)
            lastFailure = Failure(description: """
                redis-server on port \(port) did not answer PING within 10 s (wait status \
                \(status)). Log tail:
                \(log.split(separator: "\n").suffix(10).joined(separator: "\n"))
                """)
        }
        throw lastFailure
    }

    deinit { stop() }

    /// A new connection to this server.
    public func connect() throws -> RESPClient { try RESPClient(port: port) }

    /// Terminates the server and waits for it to exit. Idempotent.
    public func stop() {
        guard running else { return }
        running = false
        _ = RedisServer.terminate(guardPID, lifeline: lifeline)
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The guard: starts redis-server, stops it when stdin (the lifeline pipe) reaches EOF,
    /// and exits with redis-server's status. fd 3 keeps the pipe for the background reader,
    /// whose stdin `sh` would otherwise replace with /dev/null.
    private static let guardScript = """
        exec 3<&0 </dev/null
        "$0" "$@" &
        server=$!
        (read _ <&3; kill $server 2>/dev/null) &
        exec 3<&-
        wait $server
        """

    /// Spawns the guard with stdio on /dev/null except stdin (the lifeline pipe), default
    /// signal handlers and an empty signal mask. Returns the guard's pid and the pipe's
    /// write end.
    private static func spawn(_ executable: String, arguments: [String]) throws -> (pid_t, Int32) {
        // Serialised so that no other test's spawn can inherit this pipe's write end between
        // pipe() and FD_CLOEXEC (Glibc does not export pipe2 to Swift).
        try spawnLock.withLock { _ in try spawnLocked(executable, arguments: arguments) }
    }

    private static func spawnLocked(_ executable: String, arguments: [String]) throws -> (pid_t, Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw Failure(description: "pipe failed: errno \(errno)") }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        let devNull = ChildProcess.StandardStream.file("/dev/null", O_WRONLY)
        let pid: pid_t
        do {
            pid = try ChildProcess.spawnHoldingLock(
                "/bin/sh", ["-c", guardScript, executable] + arguments,
                stdio: [.descriptor(ends[0]), devNull, devNull], environment: ProcessInfo.processInfo.environment)
        } catch {
            close(ends[0])
            close(ends[1])
            throw Failure(description: "could not launch \(executable): \(error)")
        }
        close(ends[0])
        return (pid, ends[1])
    }

    /// Closes the lifeline (the guard then sends SIGTERM to redis-server) and waits up to
    /// 5 s for the guard to exit, then SIGKILLs it. Reaps the guard; returns its wait status.
    private static func terminate(_ pid: pid_t, lifeline: Int32) -> Int32 {
        var status: Int32 = 0
        close(lifeline)
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return status
    }

    /// True while the child has not exited (does not reap a running child).
    private static func isRunning(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        #if canImport(Glibc)
        return result == 0 && info._sifields._sigchld.si_pid == 0
        #else
        return result == 0 && info.si_pid == 0
        #endif
    }

    /// `$LUASTORE_REDIS_SERVER`, `/usr/bin/redis-server`, or the first `redis-server` in PATH.
    public static func locateExecutable(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        standardLocations: [String] = ["/usr/bin/redis-server"]
    ) throws -> String {
        var candidates: [String] = []
        if let explicit = environment["LUASTORE_REDIS_SERVER"] { candidates.append(explicit) }
        candidates.append(contentsOf: standardLocations)
        if let found = locate("redis-server", candidates: candidates, environment: environment) {
            return found
        }
        throw Failure(description: """
            redis-server not found (looked in $LUASTORE_REDIS_SERVER, /usr/bin, $PATH). The \
            differential tests compare LuaStore with a real redis-server 7 and cannot run \
            without it: install it with `sudo apt-get install -y redis-server` (the README's \
            test command does this).
            """)
    }

    /// A port the kernel reports free on 127.0.0.1 (bind to port 0, read it back, close).
    public static func freeLoopbackPort() throws -> UInt16 {
        let fd = tcpSocket()
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind(127.0.0.1:0) failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname failed: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func waitForPing(port: UInt16, pid: pid_t, logPath: String, timeoutSeconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            guard isRunning(pid) else { return false }
            // Our own log file proves the answer comes from our child, not from another
            // test's server that won a race for the same port.
            if let client = try? RESPClient(port: port, timeoutSeconds: 2),
               let reply = try? client.call("PING"), reply == .status("PONG"),
               let config = try? client.call("CONFIG", "GET", "logfile") {
                return config == .array([.bulk("logfile"), .bulk(ByteString(logPath))])
            }
            usleep(20_000)
        }
        return false
    }

    // MARK: redis-cli and redis-benchmark

    /// Whether redis-cli and redis-benchmark are installed (redis-server's absence is an
    /// error from `init`; these tools are optional for the suites that drive them).
    public static var toolsAvailable: Bool {
        ["redis-cli", "redis-benchmark"].allSatisfy { locate($0) != nil }
    }

    /// Runs `redis-cli -p PORT <arguments>` with `input` on stdin and returns its stdout.
    public func redisCLI(_ arguments: [String], input: [UInt8] = []) throws -> [UInt8] {
        try runTool("redis-cli", arguments, input: input)
    }

    /// Runs `redis-benchmark -p PORT <arguments>` and returns its stdout.
    public func redisBenchmark(_ arguments: [String]) throws -> [UInt8] {
        try runTool("redis-benchmark", arguments, input: [])
    }

    /// Runs a Redis tool against this server, bounded by `timeoutSeconds` (then killed).
    /// stdin and stdout go through temporary files, so no pipe can fill up and block.
    public func runTool(_ name: String, _ arguments: [String], input: [UInt8],
                        timeoutSeconds: Double = 20) throws -> [UInt8] {
        guard let path = RedisServer.locate(name) else {
            throw Failure(description: "\(name) not found: install it with `sudo apt-get install -y redis-tools`")
        }
        let directory = FileManager.default.temporaryDirectory
        let token = "luastore-\(getpid())-\(port)-\(UUID().uuidString)"
        let inputURL = directory.appendingPathComponent("\(token).in")
        let outputURL = directory.appendingPathComponent("\(token).out")
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
        guard tool.wait(seconds: timeoutSeconds) else {
            tool.stop()
            throw Failure(description: "\(name) \(arguments) did not finish within \(timeoutSeconds) s")
        }
        return Array(try Data(contentsOf: outputURL))
    }

    /// The first executable among `candidates` (default: /usr/bin/`name`), then `name` in PATH.
    static func locate(_ name: String, candidates: [String]? = nil,
                       environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var candidates = candidates ?? ["/usr/bin/\(name)"]
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(directory)/\(name)")
        }
        return candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    }
}
