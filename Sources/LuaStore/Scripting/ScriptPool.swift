#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The threads that run scripts and transactions for the async view (``AsyncStore``), off
/// Swift's cooperative pool: a script runs for as long as it runs, and waits for its keys
/// by parking its thread, and either would take a cooperative thread from every other
/// task. The calling task suspends until its job has run.
///
/// Threads start on demand, one whenever a job is queued and no idle thread is left to
/// take it, up to ``maximumThreads``; beyond that, jobs wait in FIFO order. Idle threads
/// sleep on a condition variable (nothing spins) and stay for the next job. One pool
/// serves every store of the process.
///
/// Why a bound: jobs that wait for keys park their threads, so a burst of calls on one
/// held key would otherwise start a thread per call. Queued jobs hold no locks, so a job
/// waiting in the queue never delays the holder that running jobs wait for.
///
/// # Thread safety
/// Thread-safe: its state is guarded by its pthread mutex; the pthread objects are
/// heap-allocated once and never move (hence `@unchecked Sendable`).
final class ScriptPool: @unchecked Sendable {
    static let shared = ScriptPool(maximumThreads: ScriptPool.defaultMaximumThreads)

    /// Two threads per core, at least 4 and at most 16.
    static var defaultMaximumThreads: Int {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return min(max(4, 2 * cores), 16)
    }

    let maximumThreads: Int
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let jobAvailable: UnsafeMutablePointer<pthread_cond_t>
    // Guarded by `mutex`.
    private var jobs: [@Sendable () -> Void] = []
    private var nextJob = 0
    private var threads = 0
    private var idle = 0

    init(maximumThreads: Int) {
        precondition(maximumThreads > 0)
        self.maximumThreads = maximumThreads
        mutex = .allocate(capacity: 1)
        jobAvailable = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(jobAvailable, nil)
    }

    /// Threads started so far.
    var threadCount: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return threads
    }

    /// Queues `job` to run on one of the pool's threads.
    func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        if jobs.count - nextJob > idle && threads < maximumThreads {
            threads += 1
            startThread()
        }
        pthread_cond_signal(jobAvailable)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body` on a pool thread and returns its result; the task suspends meanwhile.
    func run<R: Sendable>(_ body: @escaping @Sendable () -> R) async -> R {
        await withCheckedContinuation { (continuation: CheckedContinuation<R, Never>) in
            submit { continuation.resume(returning: body()) }
        }
    }

    private func startThread() {
        // Each thread keeps its pool alive: it waits on the pool's mutex forever.
        DetachedThread.start(for: "ScriptPool") { self.threadLoop() }
    }

    /// A thread: sleeps until a job is queued, runs it, and sleeps again. Threads never
    /// stop: the process-wide pool lives as long as the process.
    private func threadLoop() {
        pthread_mutex_lock(mutex)
        while true {
            while nextJob == jobs.count {
                idle += 1
                pthread_cond_wait(jobAvailable, mutex)
                idle -= 1
            }
            let job = jobs[nextJob]
            nextJob += 1
            if nextJob == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                nextJob = 0
            }
            pthread_mutex_unlock(mutex)
            job()
            pthread_mutex_lock(mutex)
        }
    }
}
