import CLua
import CLuaRun
import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// `clua_arguments` reads Lua's internal call record and stack (after `clua_check_mirror`
/// confirmed the layout); these tests pin what it answers on the Lua the package links.
@Suite struct DiscardedResultTests {
    /// A C function that records in the global `last` whether the stack mirror says its
    /// results are discarded (what `redis.call` uses), and clears the global `agree` if the
    /// mirror is unavailable or counts the arguments differently from the API.
    private static let probe: lua_CFunction = { L in
        var count: Int32 = 0, fromMirror: Int32 = 0
        let first = clua_arguments(L, &count, &fromMirror)
        let discarded = first != nil && fromMirror != 0
        if first == nil || count != lua_gettop(L) {
            lua_pushboolean(L, 0)
            lua_setglobal(L, "agree")
        }
        lua_pushboolean(L, discarded ? 1 : 0)
        lua_setglobal(L, "last")
        lua_pushinteger(L, 7)
        return 1
    }

    private func run(_ source: String) -> String? {
        guard let L = clua_newstate(0, nil) else { return nil }
        defer { clua_close(L) }
        luaL_openlibs(L)
        clua_check_mirror(L)
        lua_pushboolean(L, 1)
        lua_setglobal(L, "agree")
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
            return table.concat(r, ',') .. ';' .. tostring(agree)
            """
        #expect(run(source) == "true,false,false,false,false,false,true,false,true,false,false;true")
    }

    /// Without a confirmed layout nothing reads the call record: the mirror answers nil, and
    /// `redis.call` then treats every call's result as used.
    @Test func anUnconfirmedMirrorIsNeverRead() throws {
        let state = try #require(LuaState(memoryLimit: 0, logger: .init(label: "test"), version: "7.0.15", versionNumber: 0x07000f))
        clua_getctx(state.L).pointee.mirror_ok = 0
        var count: Int32 = -1, discarded: Int32 = -1
        #expect(clua_arguments(state.L, &count, &discarded) == nil)
        #expect(count == -1 && discarded == -1)
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

    @Test func theStackMirrorIsConfirmedOnThisLua() throws {
        let state = try #require(LuaState(memoryLimit: 0, logger: .init(label: "test"), version: "7.0.15", versionNumber: 0x07000f))
        #expect(clua_getctx(state.L).pointee.mirror_ok == 1)
    }

    @Test func argumentsReadFromTheStackConvertAsRedisDoes() {
        let host = FakeHost()
        let long = String(repeating: "x", count: 100)
        let script = """
            redis.call('SET', 'i', 7) redis.call('SET', 'f', 1.5) redis.call('SET', 'g', 3.0)
            redis.call('SET', 'n', -12) redis.call('SET', 'b', 'a\\0b') redis.call('SET', 'l', ARGV[1])
            return {redis.call('GET', 'i'), redis.call('GET', 'f'), redis.call('GET', 'g'),
                    redis.call('GET', 'n'), redis.call('GET', 'b'), redis.call('GET', 'l')}
            """
        #expect(sharedEngine.eval(script, args: [long], host: host) == .array([
            .bulk("7"), .bulk("1.5"), .bulk("3"), .bulk("-12"), .bulk(ByteString([0x61, 0, 0x62])), .bulk(ByteString(long)),
        ]))
        let bad = sharedEngine.eval("return redis.pcall('SET', 'k', {})", host: host)
        #expect(bad == .error("ERR Lua redis lib command arguments must be strings or integers"))
    }
}
