import LuaStoreCore
import Synchronization

/// One computation per key at a time, its result shared by every caller that asked for
/// the key meanwhile (``LuaStore/getOrSet(_:ttl:stick:compute:)``).
///
/// The computation runs in a task of its own, not in any caller's: a caller that is
/// cancelled stops waiting (with `CancellationError`) while the others still get the
/// result, and the result is still stored.
///
/// # Thread safety
/// Thread-safe: the flights are behind a mutex; continuations are resumed outside it.
final class SingleFlight: Sendable {
    private let flights = Locked<[ByteString: Flight]>([:])

    private struct Flight {
        var nextID = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<ByteString, any Error>)] = []
    }

    /// How many keys have a computation in progress (for tests).
    var inFlight: Int { flights.withLock { $0.count } }

    /// Joins the computation of `key` in progress, or starts `work` for it; returns its
    /// result or throws its error. `work` runs at most once per flight.
    func value(
        for key: ByteString, _ work: @escaping @Sendable () async throws -> ByteString
    ) async throws -> ByteString {
        let id: (Int, starts: Bool) = flights.withLock { all in
            if var flight = all[key] {
                flight.nextID += 1
                all[key] = flight
                return (flight.nextID, false)
            }
            all[key] = Flight()
            return (0, true)
        }
        if id.starts {
            Task { [self] in
                let result: Result<ByteString, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                let waiters = flights.withLock { $0.removeValue(forKey: key)?.waiters ?? [] }
                for waiter in waiters { waiter.continuation.resume(with: result) }
            }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ByteString, any Error>) in
                let joined = flights.withLock { all -> Bool in
                    // The flight may have ended between the two locks (its result is then
                    // stored: the caller reads it again).
                    guard all[key] != nil, !Task.isCancelled else { return false }
                    all[key]!.waiters.append((id.0, continuation))
                    return true
                }
                if !joined {
                    continuation.resume(throwing: Task.isCancelled ? CancellationError() : FlightEnded())
                }
            }
        } onCancel: {
            let left = flights.withLock { all -> CheckedContinuation<ByteString, any Error>? in
                guard let i = all[key]?.waiters.firstIndex(where: { $0.id == id.0 }) else { return nil }
                return all[key]!.waiters.remove(at: i).continuation
            }
            left?.resume(throwing: CancellationError())
        }
    }

    /// The flight a caller wanted to join had just ended.
    struct FlightEnded: Error {}
}
