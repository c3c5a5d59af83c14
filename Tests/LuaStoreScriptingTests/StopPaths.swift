import Dispatch
import Foundation
import Synchronization
import Testing

/// The two ways a run learns it must stop (see Docs/Scripting-Engine.md): a signal to its
/// thread that arms a hook there, or the count hook a run falls back to when its thread
/// blocks that signal (and every run uses under Thread Sanitizer).
enum StopPath: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case signal, countHook
    var testDescription: String { rawValue }
}

/// A body running on a thread of its own (see ``startOnThread(_:_:)``).
final class ThreadRun<T: Sendable>: Sendable {
    fileprivate let result = Mutex<T?>(nil)
    fileprivate let done = DispatchSemaphore(value: 0)

    /// The body's result, or nil when it has not finished within `bound` (the thread is left
    /// to itself then: the test fails rather than hangs).
    func wait(within bound: Duration = .seconds(10)) -> T? {
        let (seconds, attoseconds) = bound.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return nil }
        done.signal()   // later waits return at once
        return result.withLock { $0 }
    }
}

/// Starts `body` on a new thread whose signal mask selects `path`. A thread's mask is
/// inherited from the thread that creates it, and test runner threads may block signals,
/// so both paths set it explicitly.
func startOnThread<T: Sendable>(_ path: StopPath, _ body: @escaping @Sendable () -> T) -> ThreadRun<T> {
    let run = ThreadRun<T>()
    let thread = Thread {
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(path == .signal ? SIG_UNBLOCK : SIG_BLOCK, &all, nil)
        let value = body()
        run.result.withLock { $0 = value }
        run.done.signal()
    }
    thread.start()
    return run
}

/// Runs `body` as ``startOnThread(_:_:)`` does and waits at most `bound` for its result.
func runOnThread<T: Sendable>(_ path: StopPath, within bound: Duration = .seconds(10),
                              _ body: @escaping @Sendable () -> T) -> T? {
    startOnThread(path, body).wait(within: bound)
}

/// Polls `condition` every millisecond for at most `bound`; returns whether it held.
func eventually(within bound: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + bound
    while !condition() {
        if ContinuousClock.now > deadline { return false }
        usleep(1000)
    }
    return true
}
