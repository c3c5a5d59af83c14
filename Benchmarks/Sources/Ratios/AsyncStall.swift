// Async stall: while a 1-second atomic script holds key A, 8 tasks await an operation on A
// and one unrelated task sleeps 10 ms; how long did the unrelated task take, from its
// launch to the end of its sleep? Through the async view (`store.async`), the 8 tasks
// suspend and the script runs on the script pool (target: under 50 ms on 2 cores). With
// the synchronous API called from tasks, the reference in the same run, the script and
// the 8 callers hold the cooperative pool's threads, and the sleep waits for the script.
// Run alone with `RATIOS_ONLY=asyncstall`; `RATIOS_ROUNDS` (3) rounds of each.
import Foundation
import LuaStore

/// Runs `body` in a task and waits for it on this (non-cooperative) thread.
private func block<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T {
    let done = DispatchSemaphore(value: 0)
    let result = Locked<T?>(nil)
    Task {
        let value = try await body()
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return result.withLock { $0! }
}

/// A simple lock-protected box for the benchmark's threads.
private final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}

/// One round: the script, the 8 waiters, the unrelated sleeper; returns the sleeper's
/// time from launch to wake-up and the script's duration, in milliseconds.
private func stallRound(async useView: Bool) -> (sleeper: Double, script: Double) {
    let store = LuaStore()
    let script = try! store.scriptLoad(busyScript)   // ScriptLatency.swift: INCRs KEYS[1] for ARGV[1] µs
    let scriptStart = ContinuousClock.now
    let scriptDone = DispatchSemaphore(value: 0)
    let scriptEnd = Locked<ContinuousClock.Instant?>(nil)
    Task {
        if useView {
            _ = try await store.async.eval(script, keys: ["A"], args: ["1000000"])
        } else {
            _ = try store.eval(script, keys: ["A"], args: ["1000000"])
        }
        scriptEnd.withLock { $0 = .now }
        scriptDone.signal()
    }
    while store.scriptEngine.runningCount == 0 { usleep(100) }
    let waitersDone = DispatchSemaphore(value: 0)
    for i in 0..<8 {
        Task {
            if useView {
                if i % 2 == 0 { _ = try await store.async.get("A") } else { _ = try await store.async.incr("A") }
            } else {
                if i % 2 == 0 { _ = try store.get("A") } else { _ = try store.incr("A") }
            }
            waitersDone.signal()
        }
    }
    usleep(50_000)   // the waiters are queued (or parked) by now
    let launched = ContinuousClock.now
    let slept = block {
        try await Task.sleep(for: .milliseconds(10))
        return ContinuousClock.now
    }
    scriptDone.wait()
    for _ in 0..<8 { waitersDone.wait() }
    let sleeper = slept - launched
    let scriptTime = scriptEnd.withLock { $0! } - scriptStart
    func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
    return (ms(sleeper), ms(scriptTime))
}

func asyncStallRatios() {
    let rounds = Int(ProcessInfo.processInfo.environment["RATIOS_ROUNDS"] ?? "") ?? 3
    print("Async stall: a 1 s atomic script holds A, 8 tasks await ops on A, an unrelated task sleeps 10 ms")
    print("(milliseconds from the sleeper's launch to its wake-up; \(rounds) rounds each, alternating)")
    var view: [Double] = [], sync: [Double] = [], scripts: [Double] = []
    for _ in 0..<rounds {
        let a = stallRound(async: true)
        view.append(a.sleeper); scripts.append(a.script)
        let s = stallRound(async: false)
        sync.append(s.sleeper); scripts.append(s.script)
    }
    func show(_ xs: [Double]) -> String { xs.map { String(format: "%.1f", $0) }.joined(separator: " ") }
    print("async view (store.async):        ", show(view), " max \(String(format: "%.1f", view.max()!)) ms (target < 50)")
    print("sync API from tasks (reference): ", show(sync), " max \(String(format: "%.1f", sync.max()!)) ms")
    print("script durations:                ", show(scripts))
}
