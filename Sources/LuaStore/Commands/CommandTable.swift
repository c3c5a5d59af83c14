import LuaStoreCore

/// The command table: every command LuaStore knows, looked up by lower-case name. Each
/// family contributes its rows (`StringFamily.commands`, ...).
///
/// # Thread safety
/// Immutable after construction: safe to share.
struct CommandTable: Sendable {
    private let byName: [ByteString: CommandSpec]

    init(_ families: [[CommandSpec]]) {
        var table: [ByteString: CommandSpec] = [:]
        for spec in families.joined() {
            precondition(table[ByteString(spec.name)] == nil, "duplicate command \(spec.name)")
            table[ByteString(spec.name)] = spec
        }
        byName = table
    }

    /// The spec for a command name in any letter case.
    @inline(__always)
    func lookup(_ name: ByteString) -> CommandSpec? {
        if let spec = byName[name] { return spec }
        return byName[Self.lowercased(name)]
    }

    static func lowercased(_ name: ByteString) -> ByteString {
        ByteString(name.bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
    }

    var allCommands: [CommandSpec] { Array(byName.values) }
}
