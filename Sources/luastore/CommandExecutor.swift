import LuaStore

/// Whatever answers one caller's commands the way redis-server answers one client: a
/// store ``Session`` in `luastore cli` (its whole input is one client's, so MULTI, WATCH
/// and HELLO carry from line to line), or any ``CommandExecutor``.
///
/// # Thread safety
/// Used by one thread at a time.
protocol CallerExecutor {
    func execute(_ argv: [ByteString]) -> Reply
}

/// Whatever answers a command the way redis-server would: the store in `luastore`, a real
/// redis-server connection in the differential tests, a no-op when measuring the benchmark's
/// own overhead.
///
/// # Thread safety
/// Implementations must be callable from several threads at once (the benchmark does).
protocol CommandExecutor: CallerExecutor, Sendable {}

extension Session: CallerExecutor {}

extension LuaStore: CommandExecutor {}
