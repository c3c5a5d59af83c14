/// What a store with a memory bound (``LuaStore/Settings/maxMemory``) evicts when a write
/// would take it past the bound: Redis's `maxmemory-policy` values, plus
/// `allkeysTinyLFU`.
///
/// # Thread safety
/// A `Sendable` value.
public enum EvictionPolicy: String, CaseIterable, Sendable {
    /// Evict nothing: writes that need memory fail with `OOM command not allowed ...`.
    case noEviction = "noeviction"
    /// The least recently used key, among all keys.
    case allKeysLRU = "allkeys-lru"
    /// The least frequently used key (Redis's logarithmic counter with decay), among all keys.
    case allKeysLFU = "allkeys-lfu"
    /// A random key.
    case allKeysRandom = "allkeys-random"
    /// The least recently used key among keys with a TTL.
    case volatileLRU = "volatile-lru"
    /// The least frequently used key among keys with a TTL.
    case volatileLFU = "volatile-lfu"
    /// A random key among keys with a TTL.
    case volatileRandom = "volatile-random"
    /// The key with the nearest deadline.
    case volatileTTL = "volatile-ttl"
    /// LuaStore's own: W-TinyLFU (new keys wait in a small admission window; the window's
    /// oldest key then enters the main region only if a count-min sketch says it was read
    /// more often than the main region's sampled victim), among all keys.
    case allKeysTinyLFU = "allkeys-tinylfu"

    /// The names in the order Redis lists them in its error for an unknown policy, then
    /// LuaStore's own.
    static let listed: [EvictionPolicy] = [
        .volatileLRU, .volatileLFU, .volatileRandom, .volatileTTL,
        .allKeysLRU, .allKeysLFU, .allKeysRandom, .noEviction, .allKeysTinyLFU,
    ]

    /// The policy named `name` in any letter case (as CONFIG SET accepts it).
    init?(configName name: ByteString) {
        let lowered = name.asciiLowercased()
        guard let policy = EvictionPolicy.allCases.first(where: { ByteString($0.rawValue) == lowered }) else {
            return nil
        }
        self = policy
    }

    /// Whether the policy picks victims by access frequency (OBJECT FREQ answers then).
    var usesFrequency: Bool { self == .allKeysLFU || self == .volatileLFU }
}
