import LuaStoreCore

/// OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT | HELP (Redis's object.c).
extension KeyFamily {
    static let object = CommandSpec(container: "object", arity: -2, subcommands: [
        CommandSpec("object|encoding", arity: 3, flags: [.readonly], acl: [.keyspace], keys: [.range(2, [.RO])], tips: ["nondeterministic_output"], handler: objectEncoding),
        CommandSpec("object|freq", arity: 3, flags: [.readonly], acl: [.keyspace], keys: [.range(2, [.RO])], tips: ["nondeterministic_output"], handler: objectFreq),
        CommandSpec("object|idletime", arity: 3, flags: [.readonly], acl: [.keyspace], keys: [.range(2, [.RO])], tips: ["nondeterministic_output"], handler: objectIdletime),
        CommandSpec("object|refcount", arity: 3, flags: [.readonly], acl: [.keyspace], keys: [.range(2, [.RO])], tips: ["nondeterministic_output"], handler: objectRefcount),
        CommandSpec("object|help", arity: 2, flags: [.loading, .stale], acl: [.keyspace], handler: { _, _ throws(StoreError) in
            .array(objectHelp.map { .status($0) }) }),
    ])

    /// OBJECT ENCODING key — O(1): the name Redis gives the encoding of the value as
    /// LuaStore stores it (see ``Value/objectEncoding``), nil for a missing key.
    static func objectEncoding(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        try ctx.keyspace.objectInfo(argv[2])
            .map { .bulk(ByteString($0.encoding)) } ?? .null
    }

    /// OBJECT FREQ key — O(1): the key's LFU counter after decay, under an LFU policy;
    /// Redis's error under any other.
    static func objectFreq(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard let access = ctx.keyspace.accessInfo(argv[2]) else { return .null }
        guard access.policy.usesFrequency else { throw .lfuNotSelected }
        return .integer(Int64(AccessRecord.decayedCounter(access.record, now: access.now, decayTime: access.decayTime)))
    }

    /// OBJECT IDLETIME key — O(1): seconds since the key was last accessed, as its LRU
    /// clock tells; Redis's error under an LFU policy. Accesses are recorded only under
    /// the policies that rank by them (the LRU ones and `allkeys-tinylfu`), so reads stay
    /// lock-free under the others, where every key answers 0.
    static func objectIdletime(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard let access = ctx.keyspace.accessInfo(argv[2]) else { return .null }
        guard !access.policy.usesFrequency else { throw .lfuSelected }
        guard access.policy.tracksAccess else { return .integer(0) }
        return .integer(Int64(AccessRecord.idleMilliseconds(access.record, now: access.now) / 1000))
    }

    /// OBJECT REFCOUNT key — O(1): 2147483647 (Redis's shared-object count) for the
    /// integers 0...9999, which Redis stores as shared objects, 1 otherwise.
    static func objectRefcount(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        try ctx.keyspace.objectInfo(argv[2])
            .map { .integer($0.refcount) } ?? .null
    }

    static let objectHelp = [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ]
}

/// What OBJECT reports about a value.
struct ObjectInfo {
    var encoding: String
    var refcount: Int64
}

extension KeyspaceAccess {
    /// OBJECT FREQ / IDLETIME: the key's access record with what it is read against, nil
    /// for a missing key. Does not count as an access (Redis's `LOOKUP_NOTOUCH`).
    func accessInfo(_ key: ByteString) -> (record: UInt32, policy: EvictionPolicy, decayTime: Int, now: Int64)? {
        try? withKey(key, access: .read) { (s, h) in
            guard let found = s.table.find(key, hash: h), let slot = s.live(found) else { return nil }
            return (s.table[slot].access, s.eviction.policy, s.eviction.lfuDecayTime, s.clock.nowMilliseconds())
        }
    }

    /// OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ: the value's encoding and reference
    /// count, nil for a missing key. Reads a read-biased shard without its lock, as GET.
    func objectInfo(_ key: ByteString) throws(StoreError) -> ObjectInfo? {
        try readSlot(key) { s, slot in
            guard let slot else { return nil }
            let value = s.table[slot].value
            return ObjectInfo(encoding: value.objectEncoding, refcount: value.objectRefcount)
        }
    }
}

extension Value {
    /// The `OBJECT ENCODING` name of this value as LuaStore stores it, by redis-server
    /// 7.0's rules: a string holding a canonical 64-bit integer is `int`, other strings
    /// `embstr` up to 44 bytes and `raw` beyond; lists are `quicklist` (7.0 has no listpack
    /// lists); sets `intset` (all integers, at most 512) or `hashtable` (7.0 has no
    /// listpack sets, so LuaStore's compact string sets are reported as hashtable); sorted
    /// sets `listpack` (at most 128 members of at most 64 bytes) or `skiplist`; hashes
    /// `listpack` (at most 128 fields and values of at most 64 bytes) or `hashtable`;
    /// streams `stream`.
    var objectEncoding: String {
        switch self {
        case .empty: return "none"
        case .integer: return "int"
        case .string(let bytes): return bytes.count <= 44 ? "embstr" : "raw"
        case .list: return "quicklist"
        case .set(let set): return set.encoding == .intset ? "intset" : "hashtable"
        case .sortedSet(let z): return z.encodingName
        case .hash(let h): return h.encodingName
        case .stream: return "stream"
        }
    }

    /// `OBJECT REFCOUNT`: Redis shares the objects of the integers 0...9999 (OBJ_SHARED_INTEGERS)
    /// and reports them with the shared count, INT_MAX; every other value has one owner.
    var objectRefcount: Int64 {
        if case .integer(let v) = self, v >= 0 && v < 10_000 { return Int64(Int32.max) }
        return 1
    }
}
