import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import LuaStore
import LuaStoreCore

/// Parallel flushes under contention: run under `swift test --sanitize=thread` too.
@Suite struct AutoAsyncStressTests {
    /// Each run moves 1 from every key of its set to a total key and back, in queued
    /// INCRBYs (more than the parallel minimum), so a reader holding the same keys always
    /// sees each counter's run complete or absent.
    static let transfer = """
    for round = 1, 10 do
      for i = 1, #KEYS do
        redis.call('INCRBY', KEYS[i], 1)
        redis.call('INCRBY', KEYS[i], -1)
      end
    end
    for i = 1, #KEYS do redis.call('INCRBY', KEYS[i], 1) end
    return 1
    """

    @Test func parallelFlushesOverOverlappingAndDisjointKeys() {
        let store = LuaStore(configuration: .init(shardCount: 8, scripting: .init(autoAsync: true)))
        let shared = (0..<6).map { "shared:\($0)" }
        let runs = 150, writers = 4
        let readerErrors = Atomic<Int>(0)
        let popped = Atomic<Int>(0)
        let killReplies = Locked<Set<String>>([])
        // Runs that completed: a SCRIPT KILL may stop a run before its first write.
        // (Index `writers` counts the runs on the shared keys, index t writer t's own.)
        let completed = Locked<[Int]>(Array(repeating: 0, count: writers + 1))
        DispatchQueue.concurrentPerform(iterations: writers + 3) { t in
            switch t {
            case writers:
                // A reader under the same key locks: every run either complete or absent,
                // so the counters are all equal.
                for _ in 0..<runs {
                    let reply = store.execute(["EVAL", "local t = {} for i = 1, #KEYS do t[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end return t", "6"] + shared)
                    if reply.errorMessage?.hasPrefix("ERR Script killed") == true { continue }
                    guard case .array(let values) = reply, Set(values).count == 1 else {
                        readerErrors.add(1, ordering: .relaxed)
                        continue
                    }
                }
            case writers + 1:
                // Blocking pops woken by queued pushes.
                for _ in 0..<runs {
                    if case .array = store.execute(["EVAL", "return redis.call('LPOP', KEYS[1], 100)", "1", "queue"]) {
                        popped.add(1, ordering: .relaxed)
                    }
                }
            case writers + 2:
                for _ in 0..<runs {
                    let reply = store.execute(["SCRIPT", "KILL"])
                    _ = killReplies.withLock { $0.insert(reply.errorMessage.map { String($0.prefix(10)) } ?? "OK") }
                }
            default:
                let own = (0..<6).map { "own:\(t):\($0)" }
                for i in 0..<runs {
                    let keys = i % 2 == 0 ? shared : own
                    if store.execute(["EVAL", Self.transfer, "6"] + keys) == .integer(1) {
                        completed.withLock { $0[i % 2 == 0 ? writers : t] += 1 }
                    }
                    _ = store.execute(["EVAL", "for i = 1, 80 do redis.call('RPUSH', KEYS[1], i) redis.call('SET', KEYS[2], i) end return 1", "2", "queue", "last:\(t)"])
                }
            }
        }
        #expect(readerErrors.load(ordering: .relaxed) == 0)
        let counts = completed.withLock { $0 }
        let sharedCount = counts[writers]
        #expect(sharedCount > 0)
        for key in shared { #expect(store.execute(["GET", key]) == .bulk("\(sharedCount)")) }
        for t in 0..<writers {
            let count = counts[t]
            for k in 0..<6 { #expect(store.execute(["GET", "own:\(t):\(k)"]) == (count == 0 ? .null : .bulk("\(count)"))) }
        }
        #expect(killReplies.withLock { $0 }.isSubset(of: ["UNKILLABLE", "NOTBUSY No", "OK"]))
    }

    @Test func blockedPopsWakeOnQueuedPushes() async throws {
        let store = LuaStore(configuration: .init(scripting: .init(autoAsync: true)))
        let lists = (0..<8).map { ByteString("wake:\($0)") }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for list in lists {
                group.addTask { try await store.blpop([list], timeout: .seconds(10)) != nil }
            }
            try await Task.sleep(for: .milliseconds(50))
            let script = "for i = 1, 10 do for _, k in ipairs(KEYS) do redis.call('RPUSH', k, i) end end return 1"
            #expect(store.execute(["EVAL", script, "8"] + lists.map(\.string)) == .integer(1))
            var woken = 0
            for try await ok in group where ok { woken += 1 }
            #expect(woken == lists.count)
        }
    }
}

/// The pool alone: every part of every piece of work runs exactly once, whether the pool
/// takes it or its caller runs it (busy pool), from many callers at once.
@Suite struct FlushPoolStressTests {
    final class Counting: FlushWork, @unchecked Sendable {
        let counts: UnsafeMutableBufferPointer<Int>
        init(parts: Int) { counts = .allocate(capacity: parts); counts.initialize(repeating: 0) }
        deinit { counts.deallocate() }
        func runPart(_ index: Int) { counts[index] += 1 }
    }

    @Test func everyPartRunsExactlyOnce() {
        let pool = FlushPool(workers: 3)
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 0..<2_000 {
                let parts = 1 + (i + t) % 9
                let work = Counting(parts: parts)
                pool.run(work, parts: parts)
                if work.counts.contains(where: { $0 != 1 }) { wrong.add(1, ordering: .relaxed) }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
    }

    final class Job: BackgroundFlushWork, @unchecked Sendable {
        let runs = Atomic<Int>(0)
        func runInBackground() { runs.add(1, ordering: .relaxed) }
    }

    /// Background jobs handed out while callers run parted work: each accepted job runs
    /// exactly once, a refused one never, and parted work still completes.
    @Test func backgroundJobsRunOnceAndOnlyWhenAccepted() {
        let pool = FlushPool(workers: 2)
        let wrong = Atomic<Int>(0)
        let accepted = Locked<[Job]>([]), refused = Locked<[Job]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 0..<2_000 {
                if (i + t) % 2 == 0 {
                    let job = Job()
                    if pool.startBackground(job) {
                        accepted.withLock { $0.append(job) }
                    } else {
                        refused.withLock { $0.append(job) }
                    }
                } else {
                    let parts = 2 + i % 5
                    let work = Counting(parts: parts)
                    pool.run(work, parts: parts)
                    if work.counts.contains(where: { $0 != 1 }) { wrong.add(1, ordering: .relaxed) }
                }
            }
        }
        // Let the last accepted jobs finish.
        for _ in 0..<2_000 where accepted.withLock({ $0.contains { $0.runs.load(ordering: .relaxed) == 0 } }) {
            usleep(1_000)
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
        #expect(accepted.withLock { $0.count } > 0)
        #expect(accepted.withLock { $0.allSatisfy { $0.runs.load(ordering: .relaxed) == 1 } })
        #expect(refused.withLock { $0.allSatisfy { $0.runs.load(ordering: .relaxed) == 0 } })
    }
}
