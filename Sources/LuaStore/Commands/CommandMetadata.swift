import LuaStoreCore

/// Redis's command flags (`CMD_*`), as COMMAND INFO names them. The command table sets them
/// as redis-server 7.0 does; LuaStore acts on `write` (read-only scripts and transactions),
/// `noscript` (refused inside scripts) and `movablekeys` (derived from the key specs).
struct CommandFlags: OptionSet, Sendable {
    let rawValue: UInt32
    static let write = CommandFlags(rawValue: 1 << 0)
    static let readonly = CommandFlags(rawValue: 1 << 1)
    /// May add memory (`denyoom`).
    static let denyOOM = CommandFlags(rawValue: 1 << 2)
    static let admin = CommandFlags(rawValue: 1 << 3)
    static let pubsub = CommandFlags(rawValue: 1 << 4)
    /// Not callable from scripts (`noscript`: EVAL, BLPOP, SCRIPT LOAD...).
    static let noScript = CommandFlags(rawValue: 1 << 5)
    static let blocking = CommandFlags(rawValue: 1 << 6)
    static let loading = CommandFlags(rawValue: 1 << 7)
    static let stale = CommandFlags(rawValue: 1 << 8)
    static let skipMonitor = CommandFlags(rawValue: 1 << 9)
    static let skipSlowlog = CommandFlags(rawValue: 1 << 10)
    static let asking = CommandFlags(rawValue: 1 << 11)
    static let fast = CommandFlags(rawValue: 1 << 12)
    static let noAuth = CommandFlags(rawValue: 1 << 13)
    static let noMandatoryKeys = CommandFlags(rawValue: 1 << 14)
    static let noAsyncLoading = CommandFlags(rawValue: 1 << 15)
    static let noMulti = CommandFlags(rawValue: 1 << 16)
    /// Set by the table, never given: the key specs cannot be read as one range.
    static let movableKeys = CommandFlags(rawValue: 1 << 17)
    static let allowBusy = CommandFlags(rawValue: 1 << 18)

    /// The names COMMAND INFO prints, in `addReplyFlagsForCommand`'s order.
    static let names: [(CommandFlags, String)] = [
        (.write, "write"), (.readonly, "readonly"), (.denyOOM, "denyoom"), (.admin, "admin"), (.pubsub, "pubsub"),
        (.noScript, "noscript"), (.blocking, "blocking"), (.loading, "loading"), (.stale, "stale"),
        (.skipMonitor, "skip_monitor"), (.skipSlowlog, "skip_slowlog"), (.asking, "asking"), (.fast, "fast"),
        (.noAuth, "no_auth"), (.noMandatoryKeys, "no_mandatory_keys"), (.noAsyncLoading, "no_async_loading"),
        (.noMulti, "no_multi"), (.movableKeys, "movablekeys"), (.allowBusy, "allow_busy"),
    ]

    var names: [String] { Self.names.filter { contains($0.0) }.map(\.1) }
}

/// ACL categories, in the order of Redis's `ACLCommandCategories` (the order COMMAND INFO
/// prints them in).
struct ACLCategories: OptionSet, Sendable {
    let rawValue: UInt32
    init(rawValue: UInt32) { self.rawValue = rawValue }
    static let keyspace = ACLCategories(rawValue: 1 << 0)
    static let read = ACLCategories(rawValue: 1 << 1)
    static let write = ACLCategories(rawValue: 1 << 2)
    static let set = ACLCategories(rawValue: 1 << 3)
    static let sortedSet = ACLCategories(rawValue: 1 << 4)
    static let list = ACLCategories(rawValue: 1 << 5)
    static let hash = ACLCategories(rawValue: 1 << 6)
    static let string = ACLCategories(rawValue: 1 << 7)
    static let bitmap = ACLCategories(rawValue: 1 << 8)
    static let hyperloglog = ACLCategories(rawValue: 1 << 9)
    static let geo = ACLCategories(rawValue: 1 << 10)
    static let stream = ACLCategories(rawValue: 1 << 11)
    static let pubsub = ACLCategories(rawValue: 1 << 12)
    static let admin = ACLCategories(rawValue: 1 << 13)
    static let fast = ACLCategories(rawValue: 1 << 14)
    static let slow = ACLCategories(rawValue: 1 << 15)
    static let blocking = ACLCategories(rawValue: 1 << 16)
    static let dangerous = ACLCategories(rawValue: 1 << 17)
    static let connection = ACLCategories(rawValue: 1 << 18)
    static let transaction = ACLCategories(rawValue: 1 << 19)
    static let scripting = ACLCategories(rawValue: 1 << 20)

    static let names: [(ACLCategories, String)] = [
        (.keyspace, "keyspace"), (.read, "read"), (.write, "write"), (.set, "set"), (.sortedSet, "sortedset"),
        (.list, "list"), (.hash, "hash"), (.string, "string"), (.bitmap, "bitmap"), (.hyperloglog, "hyperloglog"),
        (.geo, "geo"), (.stream, "stream"), (.pubsub, "pubsub"), (.admin, "admin"), (.fast, "fast"),
        (.slow, "slow"), (.blocking, "blocking"), (.dangerous, "dangerous"), (.connection, "connection"),
        (.transaction, "transaction"), (.scripting, "scripting"),
    ]

    /// `@name` for each category, in Redis's order.
    var names: [String] { Self.names.filter { contains($0.0) }.map { "@" + $0.1 } }

    /// The category called `name` (without `@`, any letter case), as
    /// `ACLGetCommandCategoryFlagByName`.
    init?(name: ByteString) {
        let lower = name.asciiLowercased()
        guard let found = Self.names.first(where: { ByteString($0.1) == lower }) else { return nil }
        self = found.0
    }

    /// `setImplicitACLCategories`: the categories a command's flags imply, added to the
    /// ones it declares.
    static func implied(by flags: CommandFlags, declared: ACLCategories) -> ACLCategories {
        var all = declared
        if flags.contains(.write) { all.insert(.write) }
        // Scripting commands are not @read even when read-only.
        if flags.contains(.readonly) && !declared.contains(.scripting) { all.insert(.read) }
        if flags.contains(.admin) { all.formUnion([.admin, .dangerous]) }
        if flags.contains(.pubsub) { all.insert(.pubsub) }
        if flags.contains(.fast) { all.insert(.fast) }
        if flags.contains(.blocking) { all.insert(.blocking) }
        if !all.contains(.fast) { all.insert(.slow) }
        return all
    }
}

/// Where a command's keys are in its arguments and what it does with them: Redis 7's key
/// specs. COMMAND INFO prints them, COMMAND GETKEYS walks them, and LuaStore uses them to
/// find the keys a script or transaction touches.
struct KeySpec: Sendable {
    /// The key spec flags, in `addReplyFlagsForKeyArgs`'s order.
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt16
        static let RO = Flags(rawValue: 1 << 0)
        static let RW = Flags(rawValue: 1 << 1)
        static let OW = Flags(rawValue: 1 << 2)
        static let RM = Flags(rawValue: 1 << 3)
        static let access = Flags(rawValue: 1 << 4)
        static let update = Flags(rawValue: 1 << 5)
        static let insert = Flags(rawValue: 1 << 6)
        static let delete = Flags(rawValue: 1 << 7)
        static let notKey = Flags(rawValue: 1 << 8)
        static let incomplete = Flags(rawValue: 1 << 9)
        static let variableFlags = Flags(rawValue: 1 << 10)

        static let names: [(Flags, String)] = [
            (.RO, "RO"), (.RW, "RW"), (.OW, "OW"), (.RM, "RM"), (.access, "access"), (.update, "update"),
            (.insert, "insert"), (.delete, "delete"), (.notKey, "not_key"), (.incomplete, "incomplete"),
            (.variableFlags, "variable_flags"),
        ]

        var names: [String] { Self.names.filter { contains($0.0) }.map(\.1) }
    }

    /// How the keys are found once the search begins (`begin_search` is an index, or
    /// unknown with `unknown`).
    enum FindKeys: Sendable {
        /// Keys from the start index to `lastKey` (relative to it; negative counts from the
        /// end of argv), every `keyStep`; `limit` > 1 stops at 1/limit of the remaining args.
        case range(lastKey: Int, keyStep: Int, limit: Int)
        /// A key count at `keyNumIndex` (relative to the start), the first key at `firstKey`.
        case keynum(keyNumIndex: Int, firstKey: Int, keyStep: Int)
        /// Redis's `unknown` begin_search and find_keys: the keys derive from the values
        /// (SORT's BY and GET) or from an option anywhere in argv (SORT's STORE); the
        /// command's key function finds them.
        case unknown
    }

    var notes: String?
    var flags: Flags
    /// `begin_search` index: where the search starts in argv (with `keyword`, where the
    /// search for the keyword starts: Redis's `startfrom`).
    var index: Int
    var findKeys: FindKeys
    /// A `keyword` begin_search: the keys follow this word (in any letter case), looked
    /// for from `index` on (GEORADIUS's STORE).
    var keyword: String? = nil

    /// One key, or `lastKey`/`step` from it.
    static func range(_ index: Int, last: Int = 0, step: Int = 1, limit: Int = 0, _ flags: Flags, notes: String? = nil) -> KeySpec {
        KeySpec(notes: notes, flags: flags, index: index, findKeys: .range(lastKey: last, keyStep: step, limit: limit))
    }

    /// A `numkeys key [key ...]` list whose count is at `index`.
    static func keynum(_ index: Int, _ flags: Flags, notes: String? = nil) -> KeySpec {
        KeySpec(notes: notes, flags: flags, index: index, findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1))
    }

    /// Keys after `keyword` (searched for from `startFrom` to the next-to-last argument),
    /// `last`/`step`/`limit` counted from it: GEORADIUS's STORE, XREAD's STREAMS.
    static func keyword(
        _ keyword: String, startFrom: Int, last: Int = 0, step: Int = 1, limit: Int = 0, _ flags: Flags
    ) -> KeySpec {
        KeySpec(notes: nil, flags: flags, index: startFrom, findKeys: .range(lastKey: last, keyStep: step, limit: limit), keyword: keyword)
    }

    /// Keys that argv alone does not locate (``FindKeys/unknown``).
    static func unknown(_ flags: Flags, notes: String) -> KeySpec {
        KeySpec(notes: notes, flags: flags, index: 0, findKeys: .unknown)
    }

    /// The positions this spec names in `argv`, as `getKeysUsingKeySpecs`: nil when they
    /// run out of argv (an invalid spec for these arguments) or are unknown.
    func positions(in argv: [ByteString]) -> [Int]? {
        let argc = argv.count
        let first: Int, last: Int, step: Int
        var start = index
        if let keyword {
            // `getKeysUsingKeySpecs`: no keyword before the last argument is no key.
            guard let at = (index..<max(index, argc - 1)).first(where: { argv[$0].asciiLowercased().string == keyword.lowercased() }) else {
                return []
            }
            start = at + 1
        }
        guard start < argc else { return nil }
        let index = start
        switch findKeys {
        case .unknown:
            return nil
        case .range(let lastKey, let keyStep, let limit):
            step = keyStep
            first = index
            if lastKey >= 0 {
                last = first + lastKey
            } else if limit <= 1 {
                last = argc + lastKey
            } else {
                last = first + ((argc - first) / limit + lastKey)
            }
        case .keynum(let keyNumIndex, let firstKey, let keyStep):
            guard index + keyNumIndex < argc, let n = argv[index + keyNumIndex].int64Value,
                  n >= 0, n <= Int64(argc) else { return nil }
            first = index + firstKey
            last = first + Int(n) - 1
            step = keyStep
        }
        if last >= argc || last < first || first >= argc { return nil }
        return Array(Swift.stride(from: first, through: last, by: step))
    }
}

/// The legacy (first key, last key, step) triple COMMAND INFO prints, derived from the key
/// specs as `populateCommandLegacyRangeSpec` does; whether the keys are "movable".
struct LegacyKeyRange: Sendable {
    /// 0 = no keys.
    var firstKey = 0
    /// Absolute; negative counts from the end of argv.
    var lastKey = 0
    var step = 0
    var movable = false

    init(_ specs: [KeySpec]) {
        guard !specs.isEmpty else { return }
        if specs.count == 1, specs[0].keyword == nil, case .range(let lastKey, let keyStep, _) = specs[0].findKeys {
            firstKey = specs[0].index
            self.lastKey = lastKey >= 0 ? lastKey + firstKey : lastKey
            step = keyStep
            movable = specs[0].flags.contains(.incomplete)
            return
        }
        var first = Int.max
        var last = 0
        var previousLast = 0
        for spec in specs {
            guard spec.keyword == nil, case .range(let lastKey, let keyStep, _) = spec.findKeys else {
                movable = true
                continue
            }
            if keyStep != 1 || (previousLast != 0 && previousLast != spec.index - 1) {
                movable = true
                continue
            }
            if spec.flags.contains(.incomplete) { movable = true }
            first = min(first, spec.index)
            let absoluteLast = lastKey >= 0 ? lastKey + spec.index : lastKey
            // Unsigned comparison, as Redis: a negative last key wins.
            last = UInt(bitPattern: last) >= UInt(bitPattern: absoluteLast) ? last : absoluteLast
            previousLast = last
        }
        guard first != Int.max else {
            movable = true
            return
        }
        firstKey = first
        lastKey = last
        step = 1
    }
}

/// What COMMAND DOCS says about a command. LuaStore keeps Redis's summary, since, group,
/// complexity, doc flags, deprecation and history; not the argument descriptions.
struct CommandDoc: Sendable {
    var summary: String
    var since: String
    var group: String
    var complexity: String?
    var deprecatedSince: String? = nil
    var replacedBy: String? = nil
    var history: [(String, String)] = []
    /// Redis's `syscmd` doc flag: an internal command (PFDEBUG, PFSELFTEST).
    var systemCommand = false

    init(_ summary: String, since: String, group: String, complexity: String? = nil,
         deprecatedSince: String? = nil, replacedBy: String? = nil, history: [(String, String)] = [],
         systemCommand: Bool = false) {
        self.summary = summary
        self.since = since
        self.group = group
        self.complexity = complexity
        self.deprecatedSince = deprecatedSince
        self.replacedBy = replacedBy
        self.history = history
        self.systemCommand = systemCommand
    }
}
