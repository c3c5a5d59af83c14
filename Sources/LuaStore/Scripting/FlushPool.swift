import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work that a ``FlushPool`` splits among threads: `count` independent parts.
protocol FlushWork: AnyObject {
    /// Runs part `index`. Parts run concurrently with each other, each exactly once.
    func runPart(_ index: Int)
}

/// Work that one ``FlushPool`` worker runs in the background while its submitter goes
/// on (``FlushPool/startBackground(_:)``); the submitter learns of its end through the
/// job itself.
protocol BackgroundFlushWork: AnyObject {
    func runInBackground()
}

/// A few threads that help scripts run their queued calls (auto-async): one fewer than
/// the machine's cores, started on first use, shared by every store of the process.
///
/// ``run(_:parts:)`` hands out the parts of one piece of work to the calling thread and
/// the workers, one part at a time under the pool's mutex, and returns once every part
/// has finished. It runs one piece of work at a time: a caller that finds the pool busy
/// runs all its parts itself, so a caller never waits for another caller's work.
/// ``startBackground(_:)`` hands one job to an idle worker and returns at once, or
/// refuses when no worker is idle. Idle workers sleep on a condition variable; nothing
/// spins.
///
/// # Safety
/// The pthread mutex and condition variables are blocks of their own, allocated in `init`
/// and never moved (pthread objects must not move). Each worker thread's closure
/// (``DetachedThread``) retains its pool, so the pool outlives every worker that uses it.
///
/// # Thread safety
/// Thread-safe: its state is guarded by its pthread mutex; the pthread objects are
/// heap-allocated once and never move (hence `@unchecked Sendable`).
final class FlushPool: @unchecked Sendable {
    static let shared = FlushPool(workers: FlushPool.defaultWorkerCount)

    /// One worker per core beyond the caller's, at most 7.
    static var defaultWorkerCount: Int {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(0, min(cores - 1, 7))
    }

    let workerCount: Int
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let workAvailable: UnsafeMutablePointer<pthread_cond_t>
    private let allDone: UnsafeMutablePointer<pthread_cond_t>
    // Guarded by `mutex`.
    private var work: (any FlushWork)?
    private var nextPart = 0
    private var partCount = 0
    private var finishedParts = 0
    private var started = false
    /// A job handed to the next worker that wakes, and the workers running a part or a
    /// job right now.
    private var background: (any BackgroundFlushWork)?
    private var busyWorkers = 0
    /// Runs that have queued calls right now, to leave the workers' cores to them.
    private let queueingRuns = Atomic<Int>(0)

    init(workers: Int) {
        workerCount = workers
        mutex = .allocate(capacity: 1)
        workAvailable = .allocate(capacity: 1)
        allDone = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(allDone, nil)
    }

    /// Whether a flush should use the workers: only while no more runs are queueing than
    /// there are cores, since a worker taking a core from another script's thread gains
    /// nothing.
    var hasSpareCores: Bool { workerCount > 0 && queueingRuns.load(ordering: .relaxed) <= workerCount }

    /// A run starts or stops having calls queued (see ``hasSpareCores``).
    func runStartsQueueing() { queueingRuns.add(1, ordering: .relaxed) }
    func runStopsQueueing() { queueingRuns.subtract(1, ordering: .relaxed) }

    /// Runs parts `0..<parts` of `work` on this thread and the workers; returns when all
    /// have finished. Everything a part wrote is visible to the caller afterwards (each
    /// part's end and the caller's wait go through the mutex).
    func run(_ work: any FlushWork, parts: Int) {
        pthread_mutex_lock(mutex)
        guard self.work == nil, workerCount > 0, parts > 1 else {
            pthread_mutex_unlock(mutex)
            for part in 0..<parts { work.runPart(part) }
            return
        }
        if !started { startWorkers() }
        self.work = work
        nextPart = 0
        partCount = parts
        finishedParts = 0
        if parts > 2 && workerCount > 1 {
            pthread_cond_broadcast(workAvailable)
        } else {
            pthread_cond_signal(workAvailable)
        }
        while nextPart < partCount { runNextPart(of: work) }
        while finishedParts < partCount {
            pthread_cond_wait(allDone, mutex)
        }
        self.work = nil
        pthread_mutex_unlock(mutex)
    }

    /// Hands `job` to an idle worker and returns without waiting; false (and nothing
    /// runs) when every worker is busy or another job waits for one.
    func startBackground(_ job: any BackgroundFlushWork) -> Bool {
        guard workerCount > 0 else { return false }
        pthread_mutex_lock(mutex)
        if !started { startWorkers() }
        guard background == nil, busyWorkers < workerCount else {
            pthread_mutex_unlock(mutex)
            return false
        }
        background = job
        pthread_cond_signal(workAvailable)
        pthread_mutex_unlock(mutex)
        return true
    }

    /// Called with the mutex held.
    private func startWorkers() {
        started = true
        for _ in 0..<workerCount {
            // Each worker keeps its pool alive: it waits on the pool's mutex forever.
            DetachedThread.start(for: "FlushPool") { self.workerLoop() }
        }
    }

    /// A worker: sleeps until a part is available, runs it, reports it finished. Workers
    /// never stop: the process-wide pool lives as long as the process.
    private func workerLoop() {
        pthread_mutex_lock(mutex)
        while true {
            while background == nil && (work == nil || nextPart >= partCount) {
                pthread_cond_wait(workAvailable, mutex)
            }
            busyWorkers += 1
            if let job = background {
                background = nil
                pthread_mutex_unlock(mutex)
                job.runInBackground()
                pthread_mutex_lock(mutex)
            } else {
                runNextPart(of: work!)
            }
            busyWorkers -= 1
        }
    }

    /// Called with the mutex held: claims the next part, runs it with the mutex released,
    /// and counts it finished (waking the caller after the last one).
    private func runNextPart(of work: any FlushWork) {
        let part = nextPart
        nextPart += 1
        pthread_mutex_unlock(mutex)
        work.runPart(part)
        pthread_mutex_lock(mutex)
        finishedParts += 1
        if finishedParts == partCount { pthread_cond_signal(allDone) }
    }
}
