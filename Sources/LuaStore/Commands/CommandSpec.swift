import LuaStoreCore

/// One row of the command table (a class, so a lookup hands out one reference instead of
/// copying names and closures): the data Redis keeps per command (name, arity, flags, ACL
/// categories, tips, key specs, subcommands) and the handler that parses argv and answers.
/// COMMAND INFO, COMMAND GETKEYS, and the key checks of scripts and transactions all read
/// these rows; the values are redis-server 7.0's for the commands LuaStore has.
final class CommandSpec: Sendable {
    typealias Handler = @Sendable (borrowing CommandContext, [ByteString]) throws(StoreError) -> Reply

    /// Lower-case full name: `get`, or `object|encoding` for a subcommand.
    let name: String
    /// Redis's convention: `n` = exactly n arguments (name included), `-n` = at least n.
    let arity: Int
    /// Redis's flags, `movablekeys` included when the key specs call for it.
    let flags: CommandFlags
    /// The declared categories and those the flags imply.
    let aclCategories: ACLCategories
    /// Redis's command tips (`nondeterministic_output`, `request_policy:...`).
    let tips: [String]
    let keySpecs: [KeySpec]
    /// The (first key, last key, step) triple derived from the key specs.
    let legacyRange: LegacyKeyRange
    /// Every key spec is `not_key` (SPUBLISH's channel): COMMAND INFO shows the triple,
    /// but scripts and transactions have no key to check or lock.
    let namesNoKeys: Bool
    /// A container's subcommands (OBJECT, COMMAND, SCRIPT, FUNCTION); nil for a command.
    let subcommands: [CommandSpec]?
    /// SET's key flags depend on its GET option (`setGetKeys`), which its key spec marks
    /// `variable_flags`.
    let variableKeyFlags: (@Sendable ([ByteString]) -> KeySpec.Flags)?
    /// The key function of a command whose key specs are ``KeySpec/FindKeys/unknown``
    /// (SORT's `sortGetKeys`): where its keys are and their flags.
    let keyFunction: (@Sendable ([ByteString]) -> [(position: Int, flags: KeySpec.Flags)])?
    let handler: Handler

    init(
        _ name: String, arity: Int, flags: CommandFlags, acl: ACLCategories = [], keys: [KeySpec] = [],
        tips: [String] = [], subcommands: [CommandSpec]? = nil,
        variableKeyFlags: (@Sendable ([ByteString]) -> KeySpec.Flags)? = nil,
        keyFunction: (@Sendable ([ByteString]) -> [(position: Int, flags: KeySpec.Flags)])? = nil,
        handler: @escaping Handler
    ) {
        self.name = name
        self.arity = arity
        keySpecs = keys
        legacyRange = LegacyKeyRange(keys)
        namesNoKeys = !keys.isEmpty && keys.allSatisfy { $0.flags.contains(.notKey) }
        self.flags = legacyRange.movable ? flags.union(.movableKeys) : flags
        aclCategories = ACLCategories.implied(by: flags, declared: acl)
        self.tips = tips
        self.subcommands = subcommands
        self.variableKeyFlags = variableKeyFlags
        self.keyFunction = keyFunction
        self.handler = handler
    }

    /// A container: `subcommands` answer argv with a subcommand word; `handler` answers the
    /// name alone when the arity allows it (COMMAND).
    convenience init(container name: String, arity: Int, flags: CommandFlags = [], acl: ACLCategories = [],
                     tips: [String] = [], subcommands: [CommandSpec], handler: Handler? = nil) {
        // (`handler ?? containerAlone` crashes the Swift 6.3 compiler.)
        if let handler {
            self.init(name, arity: arity, flags: flags, acl: acl, tips: tips, subcommands: subcommands, handler: handler)
        } else {
            self.init(name, arity: arity, flags: flags, acl: acl, tips: tips, subcommands: subcommands,
                      handler: CommandSpec.containerAlone)
        }
    }

    /// A container without a handler of its own: its arity (at least 2) never lets argv
    /// without a subcommand reach it.
    private static func containerAlone(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        throw .wrongArity(command: argv.first?.asciiLowercased().string ?? "")
    }

    @inline(__always)
    func acceptsArgumentCount(_ n: Int) -> Bool {
        arity >= 0 ? n == arity : n >= -arity
    }

    /// The name after `|` for a subcommand (`encoding`), the whole name otherwise.
    var subcommandName: Substring {
        guard let bar = name.firstIndex(of: "|") else { return Substring(name) }
        return name[name.index(after: bar)...]
    }

    /// The subcommand `argv[1]` names (any letter case), for a container.
    func subcommand(named word: ByteString) -> CommandSpec? {
        let folded = word.asciiLowercased()
        return subcommands?.first { ByteString(String($0.subcommandName)) == folded }
    }

    /// The spec that runs `argv`, as Redis's `lookupCommand`: a container given a
    /// subcommand word runs that subcommand (nil when it has none by that name).
    func resolved(_ argv: [ByteString]) -> CommandSpec? {
        guard subcommands != nil, argv.count > 1 else { return self }
        return subcommand(named: argv[1])
    }

    /// The first key of `argv` for which `body` returns false (the per-call check of
    /// scripts and transactions). Commands whose keys fit the legacy triple (all but the
    /// numkeys ones) walk it without building an array; SET's variable flags do not move
    /// its key.
    @inline(__always)
    func firstKey(in argv: [ByteString], where body: (ByteString) -> Bool) -> ByteString? {
        if legacyRange.movable {
            return keyPositions(in: argv)?.lazy.map { argv[$0.position] }.first(where: body)
        }
        let first = legacyRange.firstKey
        guard first > 0, !namesNoKeys else { return nil }
        let last = legacyRange.lastKey >= 0 ? legacyRange.lastKey : argv.count + legacyRange.lastKey
        guard first <= last, last < argv.count else { return nil }
        var i = first
        while i <= last {
            if body(argv[i]) { return argv[i] }
            i += legacyRange.step
        }
        return nil
    }

    /// The keys `argv` names, in order.
    func keys(in argv: [ByteString]) -> [ByteString] {
        (keyPositions(in: argv) ?? []).map { argv[$0.position] }
    }

    /// Whether the command has key arguments at all (`doesCommandHaveKeys`).
    var hasKeys: Bool { keySpecs.contains { !$0.flags.contains(.notKey) } }

    /// Where the keys of `argv` are and what the command does with each, as Redis's
    /// `getKeysFromCommandWithSpecs`: the key specs, unless their flags vary with the
    /// arguments (SET); a numkeys command whose specs do not fit argv falls back to
    /// `genericGetKeys` (keys counted with `atoi`, the destination last, no flags). Nil
    /// when the specs do not fit and there is no fallback. A command with a key function
    /// (SORT) uses it when its specs do not locate every key.
    func keyPositions(in argv: [ByteString]) -> [(position: Int, flags: KeySpec.Flags)]? {
        if let variableKeyFlags {
            return argv.count > 1 ? [(1, variableKeyFlags(argv))] : []
        }
        var found: [(position: Int, flags: KeySpec.Flags)] = []
        var valid = true
        for spec in keySpecs where !spec.flags.contains(.notKey) {
            guard let positions = spec.positions(in: argv), !spec.flags.contains(.incomplete) else {
                valid = false
                break
            }
            for p in positions { found.append((p, spec.flags)) }
        }
        if valid { return found }
        if let keyFunction { return keyFunction(argv) }
        return genericKeyPositions(in: argv)
    }

    /// `genericGetKeys` for a command with a numkeys spec; nil for other commands.
    private func genericKeyPositions(in argv: [ByteString]) -> [(position: Int, flags: KeySpec.Flags)]? {
        guard let numkeys = keySpecs.first(where: { if case .keynum = $0.findKeys { true } else { false } }),
              case .keynum(let keyNumIndex, let firstKey, let keyStep) = numkeys.findKeys else { return nil }
        let countIndex = numkeys.index + keyNumIndex
        let firstIndex = numkeys.index + firstKey
        // The destination of Z*STORE: a one-key spec before the numkeys one.
        let store = keySpecs.first { spec in
            if case .range(0, _, _) = spec.findKeys, spec.index < numkeys.index { return true }
            return false
        }?.index ?? 0
        guard countIndex < argv.count else { return [] }
        let n = Int(CommandSpec.atoi(argv[countIndex]))
        guard n >= 1, n <= (argv.count - firstIndex) / keyStep else { return [] }
        var found = (0..<n).map { (position: firstIndex + $0 * keyStep, flags: KeySpec.Flags()) }
        if store != 0 { found.append((store, [])) }
        return found
    }

    /// C's `atoi` (through `strtol`): leading spaces, a sign, digits up to the first
    /// non-digit; out-of-range values saturate, then truncate to an int.
    static func atoi(_ text: ByteString) -> Int32 {
        let bytes = text.bytes
        var i = 0
        while i < bytes.count, bytes[i] == 32 || (bytes[i] >= 9 && bytes[i] <= 13) { i += 1 }
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var value: Int64 = 0
        var saturated = false
        while i < bytes.count, bytes[i] >= 48 && bytes[i] <= 57 {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(bytes[i] - 48))
            if o1 || o2 { saturated = true; break }
            value = sum
            i += 1
        }
        let long: Int64 = saturated ? (negative ? Int64.min : Int64.max) : (negative ? -value : value)
        return Int32(truncatingIfNeeded: long)
    }
}

/// What a handler runs with: the store and who is calling.
///
/// # Thread safety
/// A value made per command; not shared.
struct CommandContext {
    /// Unretained: retaining the shared store per command made threads contend on its
    /// reference count.
    private let coreReference: Unretained<StoreCore>
    /// The keyspace for this caller: handlers call the operations on it
    /// (`try ctx.keyspace.zcard(argv[1])`).
    let keyspace: KeyspaceAccess
    /// The caller's protocol: RESP3 callers get doubles, maps, sets and nested pairs where
    /// Redis 7 sends them (`c->resp`).
    let protocolVersion: RESPVersion

    init(core: StoreCore, owner: Owner, protocolVersion: RESPVersion = .resp2) {
        coreReference = Unretained(core, keptAliveBy: .store)
        keyspace = KeyspaceAccess(core.keyspace, owner: owner)
        self.protocolVersion = protocolVersion
    }

    /// Whether the caller speaks RESP3.
    @inline(__always)
    var resp3: Bool { protocolVersion == .resp3 }

    var core: StoreCore { coreReference.referent }
    /// Who is calling: a plain caller, or a script or transaction holding key locks.
    var owner: Owner { keyspace.owner }
}
