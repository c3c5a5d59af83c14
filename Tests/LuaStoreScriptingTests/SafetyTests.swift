import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// Malformed or hostile scripts get an error reply; the process and the engine survive.
@Suite struct SafetyTests {
    let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(300), memoryLimitPerState: 16 << 20))

    @Test func infiniteRecursion() {
        // Lua's stack grows until "stack overflow" or the state's memory cap, whichever first.
        let engine = ScriptEngine(configuration: .init(timeLimit: nil, memoryLimitPerState: 16 << 20))
        let message = engine.eval("local function f() return 1 + f() end return f()").errorMessage ?? ""
        #expect(message.contains("stack overflow") || message.contains("not enough memory"))
        #expect(engine.eval("return 1") == .integer(1))
    }

    @Test func metamethodsNeverRunDuringConversion() {
        let s = "return setmetatable({}, {__index = function() error('boom') end})"
        #expect(engine.eval(s) == .array([]))
        let e = "error(setmetatable({}, {__index = function() error('boom') end}))"
        #expect(engine.eval(e).errorMessage?.hasPrefix("ERR unknown error script: ") == true)
    }

    @Test func selfReferencingTables() {
        #expect(engine.eval("local t = {} t[1] = t return t") != .null)
    }

    @Test func loopsInsideCoroutinesAreStopped() {
        let s = "local co = coroutine.wrap(function() while true do end end) while true do pcall(co) end"
        #expect(engine.eval(s).errorMessage?.hasPrefix("ERR Script exceeded the configured time limit") == true)
    }

    @Test func memoryBombInsideACoroutine() {
        let s = "local co = coroutine.create(function() local t = {} while true do t[#t+1] = string.rep('x', 4096) end end) return coroutine.resume(co)"
        let reply = engine.eval(s)
        #expect(reply == .integer(0) || reply.errorMessage != nil || reply == .null)
        #expect(engine.eval("return 2") == .integer(2))
    }

    @Test func hostErrorTablesWithoutMessage() {
        #expect(engine.eval("error({})").errorMessage?.hasPrefix("ERR unknown error") == true)
        #expect(engine.eval("error()").errorMessage?.hasPrefix("ERR Error running script") == false)
    }
}
