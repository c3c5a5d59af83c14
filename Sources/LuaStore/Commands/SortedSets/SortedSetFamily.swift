import LuaStoreCore

/// The sortedset commands.
enum SortedSetFamily {
    static let commands: [CommandSpec] = []
}
