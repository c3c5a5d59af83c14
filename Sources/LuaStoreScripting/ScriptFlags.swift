import LuaStoreCore

/// The flags of a script or function: Redis 7's (`no-writes`, ...) and Dragonfly's
/// (`allow-undeclared-keys`, `disable-atomicity`).
///
/// # Thread safety
/// A value type: safe to share.
public struct ScriptFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `no-writes`: the script only reads (required by EVAL_RO / FCALL_RO).
    public static let noWrites = ScriptFlags(rawValue: 1 << 0)
    /// `allow-oom`: may run writes above the memory limit.
    public static let allowOOM = ScriptFlags(rawValue: 1 << 1)
    /// `allow-stale`: may run on a stale replica.
    public static let allowStale = ScriptFlags(rawValue: 1 << 2)
    /// `no-cluster`: refused in cluster mode.
    public static let noCluster = ScriptFlags(rawValue: 1 << 3)
    /// `allow-cross-slot-keys`: may touch keys of several slots.
    public static let allowCrossSlotKeys = ScriptFlags(rawValue: 1 << 4)
    /// `allow-undeclared-keys` (Dragonfly): may touch keys not in KEYS.
    public static let allowUndeclaredKeys = ScriptFlags(rawValue: 1 << 5)
    /// `disable-atomicity` (Dragonfly): each call atomic on its own, no locks across calls.
    public static let disableAtomicity = ScriptFlags(rawValue: 1 << 6)

    /// Flag names as they appear in shebangs and FUNCTION LIST, in Redis's order.
    public static let names: [(String, ScriptFlags)] = [
        ("no-writes", .noWrites), ("allow-oom", .allowOOM), ("allow-stale", .allowStale),
        ("no-cluster", .noCluster), ("allow-cross-slot-keys", .allowCrossSlotKeys),
        ("allow-undeclared-keys", .allowUndeclaredKeys), ("disable-atomicity", .disableAtomicity),
    ]

    /// The flag called `name`, or nil.
    public init?(name: String) {
        guard let entry = ScriptFlags.names.first(where: { $0.0 == name }) else { return nil }
        self = entry.1
    }

    /// The names of the flags set, in Redis's order.
    public var flagNames: [String] { ScriptFlags.names.filter { contains($0.1) }.map(\.0) }
}

/// The first line of a script, when it is a shebang (`#!lua flags=a,b`) or Dragonfly's flag
/// comment (`--!df flags=a,b`).
struct Shebang: Sendable {
    var flags: ScriptFlags = []
    /// `#!lua name=lib` (function libraries only).
    var libraryName: String?
    /// True for `#!lua`: Redis then drops EVAL's compatibility mode (see ``Script/hasShebang``).
    var isRedisShebang = false
    /// Length of the first line, without its newline.
    var lineLength = 0

    /// Parses EVAL's first line as Redis's `evalExtractShebangFlags` does; nil when there is none.
    static func parseEval(_ source: [UInt8]) throws(StoreError) -> Shebang? {
        if source.starts(with: Array("#!".utf8)) {
            guard let newline = source.firstIndex(of: UInt8(ascii: "\n")) else {
                throw .invalidShebang
            }
            let parts = splitWords(source[..<newline])
            guard let engine = parts.first else { throw .invalidShebangEngine }
            guard engine == "#!lua" else { throw .unexpectedShebangEngine(String(engine)) }
            var result = Shebang(isRedisShebang: true, lineLength: newline)
            for part in parts.dropFirst() {
                guard part.hasPrefix("flags=") else { throw .unknownShebangOption(String(part)) }
                result.flags.formUnion(try parseFlagList(String(part.dropFirst(6))))
            }
            return result
        }
        if source.starts(with: Array("--!df".utf8)) {
            let end = source.firstIndex(of: UInt8(ascii: "\n")) ?? source.count
            var result = Shebang(lineLength: end)
            for part in splitWords(source[..<end]).dropFirst() {
                guard part.hasPrefix("flags=") else { throw .unknownShebangOption(String(part)) }
                result.flags.formUnion(try parseFlagList(String(part.dropFirst(6))))
            }
            return result
        }
        return nil
    }

    /// Parses FUNCTION LOAD's first line as Redis's `functionExtractLibMetaData` does.
    static func parseLibrary(_ source: [UInt8]) throws(StoreError) -> Shebang {
        guard source.starts(with: Array("#!".utf8)) else { throw .missingLibraryMetadata }
        let end = source.firstIndex(of: UInt8(ascii: "\n")) ?? source.count
        let parts = splitWords(source[..<end])
        guard let engine = parts.first, engine.count > 2 else { throw .invalidLibraryMetadata }
        guard engine.dropFirst(2).lowercased() == "lua" else {
            throw .engineNotFound(String(engine.dropFirst(2)))
        }
        var result = Shebang(isRedisShebang: true, lineLength: end)
        for part in parts.dropFirst() {
            guard part.hasPrefix("name=") else { throw .invalidMetadataValue(String(part)) }
            result.libraryName = String(part.dropFirst(5))
        }
        guard result.libraryName != nil else { throw .libraryNameNotGiven }
        return result
    }

    private static func parseFlagList(_ list: String) throws(StoreError) -> ScriptFlags {
        var flags: ScriptFlags = []
        for name in list.split(separator: ",", omittingEmptySubsequences: false) where !list.isEmpty {
            guard let flag = ScriptFlags(name: String(name)) else {
                throw .unexpectedShebangFlag(String(name))
            }
            flags.insert(flag)
        }
        return flags
    }

    private static func splitWords(_ line: ArraySlice<UInt8>) -> [String] {
        String(decoding: line, as: UTF8.self)
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            .map(String.init)
    }
}
