import LuaStoreCore
import Testing
@testable import LuaStoreScripting

@Suite struct SandboxTests {
    let engine = sharedEngine

    @Test func readingAnUndefinedGlobalFails() {
        let s = "return x"
        #expect(engine.eval(s) == .error("ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: \(sha(s)), on @user_script:1."))
    }

    @Test func writingAnyGlobalFails() {
        for s in ["x=1", "redis = nil", "KEYS = {}", "_G.y = 1", "rawset(_G, 'y', 1)", "setmetatable(_G, nil)"] {
            #expect(engine.eval(s) == .error("ERR user_script:1: Attempt to modify a readonly table script: \(sha(s)), on @user_script:1."), "\(s)")
        }
    }

    @Test func libraryTablesAreReadOnly() {
        for lib in ["string", "cjson", "redis", "table", "math", "bit", "struct", "cmsgpack", "os", "coroutine"] {
            let s = "\(lib).x = 1"
            #expect(engine.eval(s) == .error("ERR user_script:1: Attempt to modify a readonly table script: \(sha(s)), on @user_script:1."), "\(lib)")
            let t = "\(lib).len = nil"
            #expect(engine.eval(t).errorMessage?.contains("Attempt to modify a readonly table") == true, "\(lib)")
        }
        // The real string table is not reachable through a string's metatable either.
        #expect(engine.eval("getmetatable('').upper = nil").errorMessage?.contains("Attempt to modify a readonly table") == true)
        #expect(engine.eval("return getmetatable('').__index") == .null)
        #expect(engine.eval("return ('abc'):upper()") == .bulk("ABC"))
    }

    @Test func forbiddenGlobalsAreAbsent() {
        for name in ["io", "require", "loadfile", "dofile", "debug", "package", "print", "module", "setfenv", "getfenv", "newproxy"] {
            let s = "return \(name)"
            #expect(engine.eval(s) == .error("ERR user_script:1: Script attempted to access nonexistent global variable '\(name)' script: \(sha(s)), on @user_script:1."), "\(name)")
        }
        #expect(engine.eval("return type(os.clock)") == .bulk("function"))
        #expect(engine.eval("return os.time") == .null)
        for name in ["execute", "exit", "getenv", "remove", "rename", "tmpname", "date", "difftime"] {
            #expect(engine.eval("return os.\(name)") == .null, "os.\(name)")
        }
    }

    /// os.clock is Lua's (process CPU seconds): it advances, so busy-wait loops end.
    @Test func osClockAdvances() {
        #expect(engine.eval("local t = os.clock(); local x = 0; for i = 1, 3e6 do x = x + i end; return os.clock() > t") == .integer(1))
        #expect(engine.eval("local t = os.clock(); while os.clock() - t < 0.05 do end; return 'ended'") == .bulk("ended"))
    }

    @Test func allowedGlobalsArePresent() {
        let names = ["xpcall", "tostring", "setmetatable", "next", "assert", "tonumber", "rawequal", "collectgarbage",
                     "getmetatable", "rawset", "pcall", "coroutine", "type", "_G", "select", "unpack", "gcinfo", "pairs",
                     "rawget", "loadstring", "ipairs", "_VERSION", "load", "error", "cjson", "bit", "struct", "cmsgpack"]
        for name in names {
            #expect(engine.eval("return \(name) ~= nil") == .integer(1), "\(name)")
        }
        #expect(engine.eval("return table.getn({1,2,3})") == .integer(3))
        #expect(engine.eval("return math.pow(2, 10)") == .integer(1024))
        #expect(engine.eval("return unpack({1,2})") == .integer(1))
        #expect(engine.eval("return loadstring('return 1')()") == .integer(1))
    }

    @Test func binaryChunksAreRefused() {
        #expect(engine.eval("return loadstring(string.dump(function() return 1 end))") == .null)
        #expect(engine.eval("local f, e = load(string.dump(function() return 1 end)); return e")
                .stringValue?.contains("attempt to load a binary chunk") == true)
    }

    @Test func loadedChunksAreSandboxedToo() {
        #expect(engine.eval("return loadstring('x = 1')()").errorMessage?.contains("Attempt to modify a readonly table") == true)
        #expect(engine.eval("return loadstring('return io')()").errorMessage?.contains("nonexistent global variable 'io'") == true)
    }

    @Test func keysAndArgvAreGlobalsPerRun() {
        #expect(engine.eval("return {KEYS[1], ARGV[1], #KEYS, #ARGV}", keys: ["k"], args: ["a", "b"])
                == .array([.bulk("k"), .bulk("a"), .integer(1), .integer(2)]))
        #expect(engine.eval("return #KEYS + #ARGV") == .integer(0))
    }

    @Test func globalsDoNotLeakBetweenRuns() {
        // A script cannot create globals, so nothing can leak; locals die with the run.
        #expect(engine.eval("local x = 5; return x") == .integer(5))
        #expect(engine.eval("return rawget(_G, 'x')") == .null)
    }
}
