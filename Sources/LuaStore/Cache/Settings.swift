import LuaStoreCore
import Synchronization

extension LuaStore {
    /// The settings a store can change while it runs: its memory bound, eviction policy
    /// and keyspace notifications. Give the initial ones in ``Configuration/settings``; read the live ones with
    /// ``LuaStore/settings`` and change them with ``LuaStore/updateSettings(_:)`` or
    /// `CONFIG SET` (Redis's parameter names are given with each property).
    ///
    /// # Thread safety
    /// A `Sendable` value.
    public struct Settings: Sendable, Equatable {
        /// `maxmemory`: the memory bound in bytes (0: none).
        public var maxMemory: UInt64
        /// `maxmemory-policy`: what to evict at the bound.
        public var evictionPolicy: EvictionPolicy
        /// `maxmemory-samples`: keys sampled per eviction by the sampling policies (at
        /// least 1).
        public var maxMemorySamples: Int
        /// `lfu-log-factor`: how slowly the LFU counter saturates (0 or more).
        public var lfuLogFactor: Int
        /// `lfu-decay-time`: minutes after which an idle key's LFU counter halves (0:
        /// never).
        public var lfuDecayTime: Int

        /// `notify-keyspace-events`: the keyspace notifications published (none).
        public var keyspaceEvents: KeyspaceEventFlags

        /// Redis's defaults.
        public init(maxMemory: UInt64 = 0, evictionPolicy: EvictionPolicy = .noEviction, maxMemorySamples: Int = 5,
                    lfuLogFactor: Int = 10, lfuDecayTime: Int = 1, keyspaceEvents: KeyspaceEventFlags = []) {
            self.maxMemory = maxMemory
            self.evictionPolicy = evictionPolicy
            self.maxMemorySamples = maxMemorySamples
            self.lfuLogFactor = lfuLogFactor
            self.lfuDecayTime = lfuDecayTime
            self.keyspaceEvents = keyspaceEvents
        }

        /// Throws CONFIG SET's error for the first value out of its range.
        func validate() throws(StoreError) {
            try Self.check(maxMemorySamples, 1, "maxmemory-samples")
            try Self.check(lfuLogFactor, 0, "lfu-log-factor")
            try Self.check(lfuDecayTime, 0, "lfu-decay-time")
        }

        static func check(_ value: Int, _ minimum: Int, _ name: String, maximum: Int = Int(Int32.max)) throws(StoreError) {
            guard value >= minimum && value <= maximum else {
                throw .configSetFailed(parameter: name, reason: "argument must be between \(minimum) and \(maximum) inclusive")
            }
        }
    }

    /// The store's live settings.
    public var settings: Settings { core.settings.current }

    /// Changes the live settings: `change` gets the current ones; its result applies at
    /// once to every later command.
    /// - Throws: `StoreError.configSetFailed(parameter:reason:)` (and changes nothing)
    ///   if a value is out of range.
    public func updateSettings(_ change: (inout Settings) throws(StoreError) -> Void) throws(StoreError) {
        try core.settings.update(change)
    }
}

/// The live ``LuaStore/Settings`` of a store.
///
/// # Thread safety
/// Thread-safe: behind a mutex; the bound is mirrored in an atomic for the command path,
/// and each change is handed to `apply` (the keyspace's shards) under the mutex, so
/// changes reach the shards in the order they were made.
final class SettingsCell: Sendable {
    private let value: Locked<LuaStore.Settings>
    /// ``LuaStore/Settings/maxMemory``, read before every deny-oom command.
    let maxMemory: Atomic<UInt64>
    private let apply: @Sendable (LuaStore.Settings) -> Void

    init(_ initial: LuaStore.Settings, apply: @escaping @Sendable (LuaStore.Settings) -> Void = { _ in }) {
        value = Locked(initial)
        maxMemory = Atomic(initial.maxMemory)
        self.apply = apply
        apply(initial)
    }

    var current: LuaStore.Settings { value.withLock { $0 } }

    func update(_ change: (inout LuaStore.Settings) throws(StoreError) -> Void) throws(StoreError) {
        try value.withLock { (settings: inout LuaStore.Settings) throws(StoreError) in
            var next = settings
            try change(&next)
            try next.validate()
            settings = next
            maxMemory.store(next.maxMemory, ordering: .relaxed)
            apply(next)
        }
    }
}
