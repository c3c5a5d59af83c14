import LuaStoreCore

/// The hash commands.
enum HashFamily {
    static let commands: [CommandSpec] = []
}
