import Dispatch
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import LuaStoreCore

/// ``ReadBiasedLock``: when readers skip the lock's line, that a writer waits for them,
/// and that readers never see a writer's half-done update. The stress test runs under
/// `--sanitize=thread` with the other stress suites (`make test-tsan`), where TSan checks
/// that the slots and the bias flag order the readers' plain reads against the writers'
/// plain writes.
@Suite struct ReadBiasedLockStressTests {
    /// Two words a writer keeps equal, and counters; the lock is what makes sharing sound.
    final class Pair: @unchecked Sendable {
        var a = 0
        var b = 0
    }

    /// ``ReadBiasedLock/tryLockShared()`` on a biased lock, retried: tests running in
    /// parallel may briefly hold this thread's slot of ``VisibleReaders`` for another lock.
    func enterShared(_ lock: ReadBiasedLock) -> Int? {
        for _ in 0..<1_000 {
            if let token = lock.tryLockShared() { return token }
            usleep(100)
        }
        return nil
    }

    @Test func biasComesWithASlowReadAndGoesWithAWriter() {
        let lock = ReadBiasedLock.make()
        defer { lock.destroy() }
        #expect(!lock._isReadBiased)
        #expect(lock.tryLockShared() == nil, "a new lock is not biased")
        // The first slow read sets the bias (no revocation to wait out yet).
        lock.lock()
        lock.unlockAfterRead()
        #expect(lock._isReadBiased)
        guard let token = enterShared(lock) else {
            Issue.record("a biased lock admits a reader")
            return
        }
        #expect(lock._sharedHolders == 1)
        lock.unlockShared(token)
        #expect(lock._sharedHolders == 0)
        // A writer revokes; the next slow reads do not set the bias again at once.
        lock.lock()
        lock.unlock()
        #expect(!lock._isReadBiased)
        lock.lock()
        lock.unlockAfterRead()
        #expect(!lock._isReadBiased, "re-biased inside the inhibition period")
    }

    /// A reader turned away from the shared path takes the spin lock only while the lock
    /// is unbiased: one that finds the bias set again must not revoke it.
    @Test func aReaderTurnedAwayLeavesANewBiasAlone() {
        let lock = ReadBiasedLock.make()
        defer { lock.destroy() }
        #expect(lock.lockUnlessBiased(), "an unbiased lock is taken")
        lock.unlockAfterRead()
        #expect(lock._isReadBiased)
        #expect(!lock.lockUnlessBiased(), "a biased lock sends the reader back to the shared path")
        #expect(lock._isReadBiased)
        lock.lock()     // a writer revokes
        lock.unlock()
        #expect(lock.lockUnlessBiased())
        lock.unlock()
    }

    @Test func biasReturnsOnceTheInhibitionHasPassed() {
        let lock = ReadBiasedLock.make()
        defer { lock.destroy() }
        lock.lock()
        lock.unlockAfterRead()
        lock.lock()      // revokes
        lock.unlock()
        // Past the inhibition (1 ms, or 32 x the revocation if a busy machine made that
        // slower), a round of slow reads looks at the clock and sets the bias again.
        for _ in 0..<500 where !lock._isReadBiased {
            usleep(2_000)
            for _ in 0..<ReadBiasedLock.readsPerCheck {
                lock.lock()
                lock.unlockAfterRead()
            }
        }
        #expect(lock._isReadBiased)
    }

    /// A writer that arrives while a reader is inside waits until the reader leaves.
    @Test func aWriterWaitsForTheReaderInside() {
        let lock = ReadBiasedLock.make()
        defer { lock.destroy() }
        lock.lock()
        lock.unlockAfterRead()
        let pair = Pair()
        let readerInside = DispatchSemaphore(value: 0)
        let writerDone = Atomic<Bool>(false)
        let sawWriterInside = Atomic<Bool>(false)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            guard let token = enterShared(lock) else {
                Issue.record("the reader did not get in")
                readerInside.signal()
                return
            }
            readerInside.signal()
            usleep(50_000)
            if writerDone.load(ordering: .sequentiallyConsistent) { sawWriterInside.store(true, ordering: .relaxed) }
            _ = pair.a
            lock.unlockShared(token)
        }
        readerInside.wait()
        lock.lock()
        pair.a = 1
        writerDone.store(true, ordering: .sequentiallyConsistent)
        lock.unlock()
        group.wait()
        let overlapped = sawWriterInside.load(ordering: .relaxed)
        #expect(!overlapped)
    }

    /// Readers that stay inside a while, and a writer that pauses long enough for the bias
    /// to come back before each write, so that most writes revoke it with readers inside.
    @Test func readersNeverSeeAHalfDoneWrite() {
        let lock = ReadBiasedLock.make(minimumInhibit: 20_000)
        defer { lock.destroy() }
        let pair = Pair()
        let torn = Atomic<Int>(0), sharedReads = Atomic<Int>(0), writing = Atomic<Bool>(true)
        let started = DispatchSemaphore(value: 0)
        let readers = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: readers) {
                started.signal()
                while writing.load(ordering: .relaxed) {
                    if let token = lock.tryLockShared() {
                        let a = pair.a
                        for _ in 0..<64 { luastoreTestSpin() }   // inside long enough to meet a write
                        if a != pair.b { torn.add(1, ordering: .relaxed) }
                        sharedReads.add(1, ordering: .relaxed)
                        lock.unlockShared(token)
                    } else {
                        lock.lock()
                        if pair.a != pair.b { torn.add(1, ordering: .relaxed) }
                        lock.unlockAfterRead()
                    }
                }
            }
        }
        started.wait()
        for i in 1...300 {
            usleep(100)   // past the inhibition (20 µs here): the readers bias the lock again
            lock.lock()
            pair.a = i
            for _ in 0..<64 { luastoreTestSpin() }   // a window between the two writes
            pair.b = i
            lock.unlock()
        }
        writing.store(false, ordering: .relaxed)
        readers.wait()
        let tornReads = torn.load(ordering: .relaxed), biasedReads = sharedReads.load(ordering: .relaxed)
        #expect(tornReads == 0)
        #expect(biasedReads > 0, "no read took the biased path")
        #expect(lock._sharedHolders == 0)
    }
}

/// A few cycles the optimiser keeps.
@inline(never) func luastoreTestSpin() { _ = luastoreTestSink.add(1, ordering: .relaxed) }
let luastoreTestSink = Atomic<Int>(0)
