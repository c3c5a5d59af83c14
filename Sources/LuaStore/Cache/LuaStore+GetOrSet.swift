import LuaStoreCore

extension LuaStore {
    /// The cache-aside read for servers: the value of `key`, or on a miss the value
    /// `compute` returns, stored with `ttl` (nil: none) and made sticky when `stick` (never
    /// evicted) before it is returned.
    ///
    /// Single flight: while one caller computes a key, other callers of the same key wait
    /// for that result instead of computing it again. An error from `compute` reaches every
    /// waiting caller and nothing is stored. Cancelling a caller ends only its own wait
    /// (`CancellationError`): the computation goes on for the others, and its result is
    /// stored. The TTL counts from when the value is stored, on the store's clock. A key
    /// held by a running script or transaction suspends the caller, as in ``AsyncStore``.
    ///
    /// ```swift
    /// let page = try await store.getOrSet("page:\(id)", ttl: .seconds(60)) {
    ///     try await render(id)
    /// }
    /// ```
    ///
    /// - Throws: `StoreError.wrongType` if the key holds a non-string value, `compute`'s
    ///   error, or `CancellationError`.
    public func getOrSet(
        _ key: ByteString, ttl: Duration? = nil, stick: Bool = false,
        compute: @escaping @Sendable () async throws -> ByteString
    ) async throws -> ByteString {
        while true {
            try Task.checkCancellation()
            if let value = try await async.get(key) { return value }
            do {
                return try await core.flights.value(for: key) { [self] in
                    // A flight that ended between this caller's miss and its start has
                    // stored its value (before it ended): use it, do not compute again.
                    if let value = try await async.get(key) { return value }
                    let value = try await compute()
                    let expiration: Expiration = ttl.map {
                        .at(milliseconds: core.keyspace.clock.nowMilliseconds() + $0.milliseconds)
                    } ?? .none
                    try await async.set(key, value, expiration: expiration, stick: stick)
                    return value
                }
            } catch is SingleFlight.FlightEnded {
                continue   // it ended as this caller arrived: its value is stored
            }
        }
    }
}
