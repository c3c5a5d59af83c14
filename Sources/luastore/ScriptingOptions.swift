import ArgumentParser
import LuaStore
import LuaStoreScripting

/// The scripting switches `luastore cli` and `luastore benchmark` share, spelled after
/// Dragonfly's server flags `lua_auto_async` and `default_lua_flags`.
///
/// # Thread safety
/// A value type: safe to share.
struct ScriptingOptions: ParsableArguments {
    @Flag(name: .customLong("lua-auto-async"), help: "Queue call/pcall statements whose value is discarded, and run them in parallel across shards (Dragonfly's lua_auto_async).")
    var autoAsync = false

    @Option(name: .customLong("default-lua-flags"), help: ArgumentHelp("Flags every script gets, separated by spaces, commas or semicolons, e.g. 'allow-undeclared-keys disable-atomicity' (Dragonfly's default_lua_flags).", valueName: "flags"))
    var defaultFlags: String?

    func validate() throws { _ = try Self.parseFlags(defaultFlags ?? "") }

    /// The store configuration these switches ask for.
    func storeConfiguration() throws -> LuaStore.Configuration {
        LuaStore.Configuration(scripting: .init(defaultFlags: try Self.parseFlags(defaultFlags ?? ""), autoAsync: autoAsync))
    }

    /// Dragonfly's parsing of `default_lua_flags`: names separated by any of `,; `, empty
    /// parts skipped; an unknown name is `Invalid flag: <name>`.
    static func parseFlags(_ list: String) throws -> ScriptFlags {
        var flags: ScriptFlags = []
        for name in list.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }) {
            guard let flag = ScriptFlags(name: String(name)) else { throw ValidationError("Invalid flag: \(name)") }
            flags.insert(flag)
        }
        return flags
    }
}
