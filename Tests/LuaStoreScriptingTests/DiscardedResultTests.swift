import CLua
import Testing
@testable import LuaStoreScripting

/// `clua_results_discarded` reads Lua's internal call record; these tests pin what it
/// answers for each way Lua code can call a C function, on the Lua the package links.
@Suite struct DiscardedResultTests {
    /// A C function that records in the global `last` whether its results are discarded.
    private static let probe: lua_CFunction = { L in
        let discarded = clua_results_discarded(L) != 0
        lua_pushboolean(L, discarded ? 1 : 0)
        lua_setglobal(L, "last")
        lua_pushinteger(L, 7)
        return 1
    }

    private func run(_ source: String) -> String? {
        guard let L = luaL_newstate() else { return nil }
        defer { lua_close(L) }
        luaL_openlibs(L)
        lua_pushcclosure(L, Self.probe, 0)
        lua_setglobal(L, "probe")
        guard luaL_loadstring(L, source) == LUA_OK, clua_pcall(L, 0, 1, 0) == LUA_OK else {
            return clua_tostring(L, -1).map { String(cString: $0) }
        }
        return clua_tostring(L, -1).map { String(cString: $0) }
    }

    @Test func onlyCallStatementsDiscard() {
        let source = """
            local r = {}
            local function note() r[#r + 1] = tostring(last) end
            probe(); note()                                       -- statement
            local x = probe(); note()                             -- one result
            local a, b = probe(); note()                          -- two
            local t = {probe()}; note()                           -- all, into a table
            pcall(probe); note()                                  -- from C, all results
            if probe() then end; note()                           -- a condition
            for _ = 1, 1 do probe() end; note()                   -- statement in a loop
            local function f() return probe() end; f(); note()    -- tail call: all results
            local function g() probe() end; g(); note()           -- statement in a function
            local n = select('#', probe()); note()                -- an argument
            local s = probe() .. ''; note()                       -- an operand
            return table.concat(r, ',')
            """
        #expect(run(source) == "true,false,false,false,false,false,true,false,true,false,false")
    }

    @Test func statementCallsSkipTheReplyButStillRaise() {
        let host = FakeHost()
        // The statement's SET still runs; its reply is not converted.
        #expect(sharedEngine.eval("redis.call('SET', 'k', 'v') return redis.call('GET', 'k')", host: host) == .bulk("v"))
        // An error reply from a redis.call statement raises as before; from pcall it is dropped.
        let raised = sharedEngine.eval("redis.call('NOPE') return 1", host: host)
        #expect(raised.errorMessage?.hasPrefix("ERR Unknown Redis command called from script") == true)
        #expect(sharedEngine.eval("redis.pcall('NOPE') return 1", host: host) == .integer(1))
        // The value of a used call is still there.
        #expect(sharedEngine.eval("local r = redis.pcall('SET', 'k', 'w') return r", host: host) == .status("OK"))
    }
}
