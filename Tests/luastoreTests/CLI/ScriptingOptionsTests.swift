import ArgumentParser
import LuaStoreScripting
import Testing
@testable import luastore

@Suite struct ScriptingOptionsTests {
    @Test func bothCommandsTakeTheSwitches() throws {
        let cli = try CLICommand.parse(["--lua-auto-async", "--default-lua-flags", "allow-undeclared-keys disable-atomicity", "PING"])
        #expect(cli.scripting.autoAsync)
        #expect(try cli.scripting.storeConfiguration().scripting.defaultFlags == [.allowUndeclaredKeys, .disableAtomicity])
        #expect(try cli.scripting.storeConfiguration().scripting.autoAsync)
        #expect(cli.words == ["PING"])
        let benchmark = try BenchmarkCommand.parse(["--lua-auto-async", "-n", "5", "EVALSHA", "x", "0"])
        #expect(benchmark.scripting.autoAsync)
        #expect(try !CLICommand.parse(["PING"]).scripting.storeConfiguration().scripting.autoAsync)
    }

    /// Dragonfly splits `default_lua_flags` on any of `,; ` and skips empty parts.
    @Test func flagListsParseAsDragonflyParsesThem() throws {
        #expect(try ScriptingOptions.parseFlags("") == [])
        #expect(try ScriptingOptions.parseFlags("disable-atomicity") == [.disableAtomicity])
        #expect(try ScriptingOptions.parseFlags(" allow-undeclared-keys,,disable-atomicity;no-writes ") == [.allowUndeclaredKeys, .disableAtomicity, .noWrites])
        #expect(throws: ValidationError.self) { try ScriptingOptions.parseFlags("allow-undeclared-keys bogus") }
        #expect(throws: (any Error).self) { try CLICommand.parse(["--default-lua-flags", "bogus", "PING"]) }
    }
}
