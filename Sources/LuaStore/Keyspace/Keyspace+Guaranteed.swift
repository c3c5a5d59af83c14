import LuaStoreCore

extension Unmanaged where Instance == Keyspace {
    /// Runs `body` with the keyspace as a guaranteed reference. Calling a method on a
    /// keyspace held `unowned(unsafe)` (or taken from an `Unmanaged`) retains and releases
    /// it around the call: two atomic operations on the one cache line every thread's
    /// commands hit. Command contexts and typed-API scopes reach the keyspace this way.
    @inline(__always)
    func withKeyspace<R>(_ body: (Keyspace) throws(StoreError) -> R) throws(StoreError) -> R {
        let result: Result<R, StoreError> = _withUnsafeGuaranteedRef { keyspace in
            do throws(StoreError) { return .success(try body(keyspace)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
