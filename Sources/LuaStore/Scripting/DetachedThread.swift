#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts the long-lived threads of the process-wide pools (``FlushPool``, ``ScriptPool``).
///
/// # Safety
/// The closure travels to the new thread through `pthread_create`'s context pointer,
/// retained once for it (`passRetained`) and taken back by that thread
/// (`takeRetainedValue`), so it and everything it captures (the pool) live as long as the
/// thread runs it.
enum DetachedThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread; `owner` names it in the failure message.
    static func start(for owner: String, _ body: @escaping @Sendable () -> Void) {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        precondition(status == 0, "\(owner) could not start a thread")
        pthread_detach(thread)
    }
}
