import LuaStoreCore
import Synchronization

/// The classes of keyspace events a store publishes, and where (Redis's
/// `notify-keyspace-events`, notify.c). Events publish only when a class and at least one
/// of ``keyspace`` and ``keyevent`` are set.
///
/// # Thread safety
/// A value type: safe to share.
public struct KeyspaceEventFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `K`: publish to `__keyspace@0__:<key>`, the event as the message.
    public static let keyspace = KeyspaceEventFlags(rawValue: 1 << 0)
    /// `E`: publish to `__keyevent@0__:<event>`, the key as the message.
    public static let keyevent = KeyspaceEventFlags(rawValue: 1 << 1)
    /// `g`: DEL, EXPIRE, RENAME and the other commands on any type.
    public static let generic = KeyspaceEventFlags(rawValue: 1 << 2)
    /// `$`: string commands.
    public static let string = KeyspaceEventFlags(rawValue: 1 << 3)
    /// `l`: list commands.
    public static let list = KeyspaceEventFlags(rawValue: 1 << 4)
    /// `s`: set commands.
    public static let set = KeyspaceEventFlags(rawValue: 1 << 5)
    /// `h`: hash commands.
    public static let hash = KeyspaceEventFlags(rawValue: 1 << 6)
    /// `z`: sorted set commands.
    public static let sortedSet = KeyspaceEventFlags(rawValue: 1 << 7)
    /// `x`: a key deleted because its deadline passed.
    public static let expired = KeyspaceEventFlags(rawValue: 1 << 8)
    /// `e`: a key evicted at the memory bound.
    public static let evicted = KeyspaceEventFlags(rawValue: 1 << 9)
    /// `t`: stream commands.
    public static let stream = KeyspaceEventFlags(rawValue: 1 << 10)
    /// `m`: a read of a missing key (accepted; LuaStore publishes none).
    public static let keyMiss = KeyspaceEventFlags(rawValue: 1 << 11)
    /// `d`: module events (accepted; there are no modules).
    public static let module = KeyspaceEventFlags(rawValue: 1 << 12)
    /// `n`: a new key (accepted; LuaStore publishes none).
    public static let newKey = KeyspaceEventFlags(rawValue: 1 << 13)

    /// `A`: `g$lshzxetd`.
    public static let all: KeyspaceEventFlags = [.generic, .string, .list, .set, .hash, .sortedSet, .expired, .evicted, .stream, .module]

    private static let letters: [(Character, KeyspaceEventFlags)] = [
        ("g", .generic), ("$", .string), ("l", .list), ("s", .set), ("h", .hash), ("z", .sortedSet),
        ("x", .expired), ("e", .evicted), ("t", .stream), ("d", .module), ("n", .newKey),
    ]

    /// Parses Redis's letters (`keyspaceEventsStringToFlags`): nil for any other character.
    public init?(letters text: String) {
        var flags: KeyspaceEventFlags = []
        for c in text {
            switch c {
            case "A": flags.formUnion(.all)
            case "K": flags.insert(.keyspace)
            case "E": flags.insert(.keyevent)
            case "m": flags.insert(.keyMiss)
            default:
                guard let flag = Self.letters.first(where: { $0.0 == c })?.1 else { return nil }
                flags.insert(flag)
            }
        }
        self = flags
    }

    /// The letters CONFIG GET prints (`keyspaceEventsFlagsToString`): `A` for all the
    /// classes it covers (then `n` is left out, as Redis does), else each class letter,
    /// then `K`, `E`, `m`.
    public var letters: String {
        var text = ""
        if isSuperset(of: .all) {
            text = "A"
        } else {
            for (letter, flag) in Self.letters where contains(flag) { text.append(letter) }
        }
        if contains(.keyspace) { text += "K" }
        if contains(.keyevent) { text += "E" }
        if contains(.keyMiss) { text += "m" }
        return text
    }
}

/// Keyspace notifications: the one place the operations report what they did
/// (``KeyspaceAccess/notify(_:_:_:)``), and their publication through the store's
/// ``PubSubRegistry``.
///
/// The operations call it after their shard locks are released, so no subscriber's
/// buffer is reached under a shard lock. With notifications off (the default) a call
/// costs one relaxed load and one branch.
///
/// # Thread safety
/// Thread-safe: the flags are an atomic; the registry is thread-safe.
final class KeyspaceEvents: Sendable {
    let registry: PubSubRegistry
    /// ``KeyspaceEventFlags``, raw. Zero unless a class and a destination are both set,
    /// so the operations' test is one branch on one load.
    private let active = Atomic<UInt32>(0)

    init(registry: PubSubRegistry) {
        self.registry = registry
    }

    /// Applies CONFIG SET notify-keyspace-events.
    func configure(_ flags: KeyspaceEventFlags) {
        let publishes = !flags.isDisjoint(with: [.keyspace, .keyevent])
        active.store(publishes ? flags.rawValue : 0, ordering: .relaxed)
    }

    /// Whether events of `kind` are published.
    @inline(__always)
    func wants(_ kind: KeyspaceEventFlags) -> Bool {
        active.load(ordering: .relaxed) & kind.rawValue != 0
    }

    /// Publishes `event` on `key`: to the key's keyspace channel, then to the event's
    /// keyevent channel (`notifyKeyspaceEvent`'s order).
    @inline(never)
    func publish(_ event: String, _ key: ByteString) {
        let flags = KeyspaceEventFlags(rawValue: active.load(ordering: .relaxed))
        if flags.contains(.keyspace) {
            _ = registry.publish(ByteString(Array("__keyspace@0__:".utf8) + key.bytes), ByteString(event))
        }
        if flags.contains(.keyevent) {
            _ = registry.publish(ByteString("__keyevent@0__:" + event), key)
        }
    }
}
