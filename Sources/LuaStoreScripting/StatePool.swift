import LuaStoreCore

/// A free list of Lua states: one state per concurrently running script.
///
/// A state taken by ``acquire()`` belongs to the caller until ``release(_:)``. States that hit
/// their memory cap are closed instead of returned; at most `maxIdle` idle states are kept.
///
/// # Thread safety
/// Thread-safe: the free list is behind a `Locked` (a pthread mutex Thread Sanitizer can see).
final class StatePool: Sendable {
    private let idle = Locked<[LuaState]>([])
    private let maxIdle: Int
    private let makeState: @Sendable () -> LuaState?

    init(maxIdle: Int, makeState: @escaping @Sendable () -> LuaState?) {
        self.maxIdle = maxIdle
        self.makeState = makeState
    }

    /// An idle state, or a new one (nil only if Lua cannot allocate a state at all).
    func acquire() -> LuaState? {
        if let state = idle.withLock({ $0.popLast() }) { return state }
        return makeState()
    }

    func release(_ state: LuaState) {
        guard !state.isPoisoned else { return } // deinit closes it
        idle.withLock { states in
            if states.count < maxIdle { states.append(state) }
        }
    }

    /// Drops every idle state (their compiled scripts and libraries go with them).
    func drain() { idle.withLock { $0.removeAll() } }

    /// Bytes the idle states' Lua heaps hold (a running state is not counted).
    var idleMemory: Int { idle.withLock { $0.reduce(0) { $0 + $1.memoryUsed } } }
}
