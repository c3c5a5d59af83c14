import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// Scripts cannot install finalizers: Lua 5.4 runs `__gc` of tables (Redis's Lua 5.1
/// never does) at a later collection, during whichever run is in progress or in
/// `lua_close`, and with hooks off, so nothing could stop one.
@Suite struct FinalizerTests {
    static let refused = "Attempt to set a metatable with a __gc field: scripts cannot install finalizers"

    @Test func setmetatableRefusesAGCField() {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(500)))
        let s = "setmetatable({}, {__gc = function() end}) return 1"
        #expect(engine.eval(s) == .error("ERR user_script:1: \(Self.refused) script: \(sha(s)), on @user_script:1."))
        // Any value marks an object for finalization, so any value is refused.
        let value = "setmetatable({}, {__gc = false}) return 1"
        #expect(engine.eval(value) == .error("ERR user_script:1: \(Self.refused) script: \(sha(value)), on @user_script:1."))
        #expect(engine.eval("return {pcall(setmetatable, {}, {__gc = function() end})}") == .array([.null, .bulk(Self.refused)]))
        // Other metatables and arguments are as before.
        #expect(engine.eval("return setmetatable('', {__gc = true})").errorMessage?.contains("table expected, got string") == true)
        #expect(engine.eval("return setmetatable({}, {__index = function(_, k) return k .. '!' end}).x") == .bulk("x!"))
        // A __gc added after setmetatable does not mark the object (Lua 5.4's rule): it never runs.
        let host = FakeHost()
        let later = """
        local mt = {}
        local t = setmetatable({}, mt)
        mt.__gc = function() redis.call('SET', 'gc', 'ran') end
        t = nil
        collectgarbage() collectgarbage()
        return 1
        """
        #expect(engine.eval(later, host: host) == .integer(1))
        #expect(host.log.isEmpty)
    }

    /// A finalizer that re-arms itself and calls redis.call would write into the keys of
    /// every later script run on the same pooled state.
    @Test func aRearmingFinalizerCannotWriteIntoLaterRuns() {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(500)))
        let attack = """
        local function arm()
          setmetatable({}, {__gc = function() pcall(redis.call, 'SET', 'victim', 'owned') arm() end})
        end
        arm()
        return 'armed'
        """
        #expect(engine.eval(attack) == .error("ERR user_script:2: \(Self.refused) script: \(sha(attack)), on @user_script:2."))
        for _ in 0..<3 {
            let host = FakeHost()
            let reply = engine.eval("collectgarbage() collectgarbage() return redis.call('GET', KEYS[1])", keys: ["k"], host: host)
            #expect(reply == .null)
            #expect(host.log == [["GET", "k"]])
            #expect(host.data["victim"] == nil)
        }
    }

    /// An endless finalizer would hang the later run that collects it (past its time limit:
    /// finalizers run with hooks off), SCRIPT FLUSH and the engine's teardown (lua_close
    /// runs every pending finalizer).
    @Test func anEndlessFinalizerCannotHangRunsFlushOrTeardown() {
        let outcome = runOnThread(.signal, within: .seconds(10)) { () -> [Reply] in
            var engine: ScriptEngine? = ScriptEngine(configuration: .init(timeLimit: .milliseconds(300)))
            let attack = "setmetatable({}, {__gc = function() while true do end end}) return 1"
            let first = engine!.eval(attack)
            let later = engine!.eval("collectgarbage() collectgarbage() return 2")
            engine!.flushScripts()      // closes the idle states
            let afterFlush = engine!.eval(attack)
            engine = nil                // closes the rest
            return [first, later, afterFlush]
        }
        let refusal = "ERR user_script:1: \(Self.refused) script: \(sha("setmetatable({}, {__gc = function() while true do end end}) return 1")), on @user_script:1."
        #expect(outcome == [.error(refusal), .integer(2), .error(refusal)])
    }
}
