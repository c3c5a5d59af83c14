import Dispatch
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import LuaStoreCore

/// ``SpinLock`` under contention: mutual exclusion, and waiters that get through when the
/// holder keeps the lock long enough to push them into yielding and sleeping. Runs under
/// `--sanitize=thread` with the other stress suites (`make test-tsan`), where TSan checks
/// that the lock's acquire and release order the protected accesses.
@Suite struct SpinLockStressTests {
    /// A plain counter the lock protects (`@unchecked Sendable`: the lock is what makes
    /// sharing it sound, which is what the test checks).
    final class Counter: @unchecked Sendable {
        var value = 0
        var inside = 0
        var overlaps = 0
    }

    @Test func incrementsUnderContentionAreNeverLost() {
        let lock = SpinLock.make()
        defer { lock.destroy() }
        let counter = Counter()
        let threads = 4, perThread = 20_000
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<perThread {
                lock.lock()
                counter.inside += 1
                if counter.inside != 1 { counter.overlaps += 1 }
                // A critical section long enough for unsynchronised threads to interleave.
                for _ in 0..<16 { counter.value += 1 }
                counter.inside -= 1
                lock.unlock()
            }
        }
        #expect(counter.value == threads * perThread * 16)
        #expect(counter.overlaps == 0)
    }

    /// A holder that sleeps with the lock held (as a long FLUSHALL would hold a shard):
    /// waiters spin, yield, then sleep between attempts, and every one gets through.
    @Test func waitersOutlastALongHold() {
        let lock = SpinLock.make()
        defer { lock.destroy() }
        let counter = Counter()
        DispatchQueue.concurrentPerform(iterations: 3) { t in
            for i in 0..<20 {
                lock.lock()
                counter.inside += 1
                if counter.inside != 1 { counter.overlaps += 1 }
                counter.value += 1
                if t == 0 && i % 5 == 0 { usleep(2_000) }   // 2 ms under the lock
                counter.inside -= 1
                lock.unlock()
            }
        }
        #expect(counter.value == 60)
        #expect(counter.overlaps == 0)
    }
}
