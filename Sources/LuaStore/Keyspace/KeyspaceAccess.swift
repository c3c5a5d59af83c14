import LuaStoreCore

/// The keyspace as one caller reaches it: the keyspace, held without a retain, and the
/// caller's ``Owner``. Command handlers (`ctx.keyspace`) and the typed API
/// (`scope.keyspace`) call the operations on it directly, as
/// `try keyspace.push(key, elements, to: .left)`; the operations (the `*Ops.swift` files)
/// are extensions of this type, read `owner` from it, and reach the shards through the
/// primitives below.
///
/// ## Why it holds the keyspace unretained
/// Retaining the shared `Keyspace` object per command made threads contend on its
/// reference count (two atomic operations on one cache line that every thread's commands
/// hit), so the accessor holds it as an ``Unretained`` and every primitive borrows it.
/// Its keeper is the store (``Unretained/Keeper/store``): an accessor is made by a
/// `CommandContext`, which lives for one command inside a call on the store, or by a
/// ``CommandScope``, which is valid only while its ``LuaStore`` exists. The one primitive
/// that may suspend, ``blockingPop(_:timeout:_:)``, takes a counted reference instead.
///
/// ## Adding an operation
/// Write it as a method in an `extension KeyspaceAccess` in the family's `*Ops.swift`,
/// without an `owner:` parameter, on top of ``withKey(_:access:_:)`` (a write, or a read
/// that may cache), ``readSlot(_:_:)`` / ``readCollection(_:_:_:)`` (a read that writes
/// nothing) or ``withKeys(_:access:_:)`` (several keys, atomically). Handlers and the typed
/// API then call it as `try ctx.keyspace.op(...)` and `try scope.keyspace.op(...)`.
///
/// # Thread safety
/// An immutable value, safe to pass between threads; the keyspace it reaches is
/// thread-safe.
struct KeyspaceAccess: Sendable {
    private let reference: Unretained<Keyspace>
    /// On whose behalf the operations run: checked against key locks.
    let owner: Owner

    /// An accessor to `keyspace` for `owner`; valid while `keyspace` lives.
    @inline(__always)
    init(_ keyspace: Keyspace, owner: Owner) {
        reference = Unretained(keyspace, keptAliveBy: .store)
        self.owner = owner
    }

    @inline(__always)
    private init(reference: Unretained<Keyspace>, owner: Owner) {
        self.reference = reference
        self.owner = owner
    }

    /// The same keyspace for a plain caller, with ``Owner/none`` known where the call is
    /// compiled: the store's own GET and SET use it, so their key-lock check folds to the
    /// shard's two loads.
    @inline(__always)
    var plainCaller: KeyspaceAccess { KeyspaceAccess(reference: reference, owner: .none) }

    /// The same keyspace for this owner, checked against the lock table on every key
    /// (``Owner/checked``): for an operation that reaches keys its command does not name
    /// (SORT's BY and GET patterns), which the owner may not hold.
    var checkedOwner: KeyspaceAccess { KeyspaceAccess(reference: reference, owner: owner.checked) }

    /// ``Keyspace/withKey(_:owner:access:_:)`` for this owner.
    @inline(__always)
    func withKey<R>(
        _ key: ByteString, access: KeyAccess, _ body: (inout ShardState, UInt64) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let owner = owner
        return try reference.borrow { keyspace throws(StoreError) in try keyspace.withKey(key, owner: owner, access: access, body) }
    }

    /// ``Keyspace/readSlot(_:owner:_:)`` for this owner: `body` must only read.
    @inline(__always)
    func readSlot<R>(
        _ key: ByteString, _ body: (borrowing ShardState, Int?) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let owner = owner
        return try reference.borrow { keyspace throws(StoreError) in try keyspace.readSlot(key, owner: owner, body) }
    }

    /// ``Keyspace/readCollection(_:owner:_:_:)`` for this owner: `body` must only read.
    @inline(__always)
    func readCollection<T, R>(
        _ key: ByteString, _ extract: (Value) -> T?, _ body: (T?) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let owner = owner
        return try reference.borrow { keyspace throws(StoreError) in try keyspace.readCollection(key, owner: owner, extract, body) }
    }

    /// ``Keyspace/withKeys(_:owner:access:_:)`` for this owner.
    @inline(__always)
    func withKeys<R>(
        _ keys: [ByteString], access: [KeyAccess], _ body: (inout LockedShards) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let owner = owner
        return try reference.borrow { keyspace throws(StoreError) in try keyspace.withKeys(keys, owner: owner, access: access, body) }
    }

    /// Plain SET's write (``Keyspace/storePlain(_:_:owner:)``). A primitive rather than
    /// an operation on ``withKey(_:access:_:)``: a closure passed in from outside the borrow
    /// stayed a call in the store's `set` (38 more instructions a SET, callgrind), where
    /// one made inside it is inlined.
    @inline(__always)
    func storePlain(_ key: ByteString, _ value: ByteString) {
        let owner = owner
        _ = try? reference.borrow { keyspace throws(StoreError) in keyspace.storePlain(key, value, owner: owner) }
        notify(.string, "set", key)
    }

    /// Reports `event` (Redis's event name) of class `kind` on `key`: the keyspace
    /// notifications' one entry point (``KeyspaceEvents``), which operations call once
    /// their locks are released. One load and one branch when notifications are off.
    @inline(__always)
    func notify(_ kind: KeyspaceEventFlags, _ event: String, _ key: ByteString) {
        reference.borrow { keyspace in
            if _slowPath(keyspace.events.wants(kind)) { keyspace.events.publish(event, key) }
        }
    }

    /// The events of a removal from a collection: `event` when something was removed,
    /// then `del` when that emptied the key (SREM, HDEL, ZREM).
    @inline(__always)
    func notifyRemoval(_ removed: Int, _ kind: KeyspaceEventFlags, _ event: String, _ key: ByteString, emptied: Bool) {
        guard removed > 0 else { return }
        notify(kind, event, key)
        if emptied { notify(.generic, "del", key) }
    }

    /// Wakes callers blocked on `key` (``Keyspace/signalKeyReady(_:)``).
    @inline(__always)
    func signalKeyReady(_ key: ByteString) {
        reference.borrow { $0.signalKeyReady(key) }
    }

    /// The store's clock.
    var clock: any StoreClock { reference.borrow { $0.clock } }

    /// Every shard, for the whole-store operations (KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHALL).
    var shards: [Shard] { reference.borrow { $0.shards } }

    /// ``Keyspace/blockingPop(_:timeout:_:)``, holding the keyspace strongly while it waits.
    func blockingPop<T>(
        _ keys: [ByteString], timeout: Duration, _ tryPop: () throws(StoreError) -> T?
    ) async throws -> T? {
        try await reference.referent.blockingPop(keys, timeout: timeout, tryPop)
    }
}
