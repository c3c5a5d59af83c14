import LuaStoreCore

/// The set commands.
enum SetFamily {
    static let commands: [CommandSpec] = []
}
