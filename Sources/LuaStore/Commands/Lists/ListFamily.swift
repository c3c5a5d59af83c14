import LuaStoreCore

/// The list commands.
enum ListFamily {
    static let commands: [CommandSpec] = []
}
