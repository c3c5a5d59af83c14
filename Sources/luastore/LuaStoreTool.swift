import ArgumentParser

/// `luastore`: the command-line face of the library. `luastore cli` speaks like redis-cli,
/// `luastore benchmark` measures like redis-benchmark, both against an in-process store.
@main
struct LuaStoreTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "luastore",
        abstract: "An in-process, Redis-compatible datastore.",
        subcommands: [CLICommand.self, BenchmarkCommand.self]
    )
}
