import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid` by its owner.
///
/// ## Why not Foundation's `Process`
/// `Process` learns that a child exited from a SIGCHLD source on its own monitoring
/// thread. A killed redis-server was once left a zombie that `Process` never noticed:
/// `waitUntilExit()` blocked forever while the test runner was exiting, and the test run
/// hung (it would have hung CI until its time limit). Here the owner reaps the child
/// itself, so every wait is bounded by the owner's own deadline.
///
/// The child gets an empty signal mask (test-runner threads block some signals, and a
/// child would inherit that) and stdio redirected to the given files.
///
/// # Thread safety
/// Not thread-safe: one test owns one child.
public final class ChildProcess {
    public let pid: pid_t
    public private(set) var exitStatus: Int32?

    /// Starts `path` with `arguments`; stdin from `input` (default /dev/null), stdout to
    /// `output` (default /dev/null), stderr to /dev/null.
    public init(_ path: String, _ arguments: [String], input: String? = nil, output: String? = nil,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let stdio: [StandardStream] = [
            .file(input ?? "/dev/null", O_RDONLY), .file(output ?? "/dev/null", O_WRONLY | O_TRUNC),
            .file("/dev/null", O_WRONLY),
        ]
        // Under the launcher's lock, so this child cannot inherit a redis-server lifeline
        // pipe in the moment before it is marked close-on-exec.
        pid = try spawnLock.withLock { _ in
            try ChildProcess.spawnHoldingLock(path, arguments, stdio: stdio, environment: environment)
        }
    }

    /// Where a child's stdin, stdout or stderr comes from.
    enum StandardStream {
        /// A file opened with these `open` flags.
        case file(String, Int32)
        /// A descriptor of this process, duplicated into the child.
        case descriptor(Int32)
    }

    /// The one `posix_spawn` of the test support code: `stdio` gives descriptors 0, 1 and 2;
    /// the child gets an empty signal mask and default handlers for the signals that stop
    /// it. The caller holds `spawnLock`.
    static func spawnHoldingLock(_ path: String, _ arguments: [String], stdio: [StandardStream],
                                 environment: [String: String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in zip(Int32(0)..., stdio) {
            switch stream {
            case .file(let path, let flags): posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0)
            case .descriptor(let source): posix_spawn_file_actions_adddup2(&actions, source, fd)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cArgv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, cArgv, cEnv)
        guard result == 0 else { throw TestFailure("could not launch \(path): posix_spawn error \(result)") }
        return pid
    }

    deinit { stop() }

    /// Whether the child is still running (reaps it if it has exited).
    public var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return true }
        exitStatus = result == pid ? status : -1
        return false
    }

    /// Waits until the child exits or `seconds` pass; true if it exited.
    public func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning {
            if Date() >= deadline { return false }
            usleep(5_000)
        }
        return true
    }

    /// SIGKILLs the child if it runs and reaps it. Idempotent. SIGKILL cannot be blocked or
    /// ignored, so the blocking `waitpid` returns promptly.
    public func stop() {
        guard isRunning else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        exitStatus = status
    }
}

/// Serialises every child spawn of the test support code (see ``RedisServer``).
let spawnLock = Mutex(())

/// A test's own failure, with a message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
