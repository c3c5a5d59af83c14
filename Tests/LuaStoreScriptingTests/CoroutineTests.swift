import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// The time limit, SCRIPT KILL and cancellation reach code running in coroutines (each a
/// lua_State of its own), on both stop paths, and nothing that catches the stop error lets
/// the script go on.
@Suite struct CoroutineStopTests {
    static func engine(timeLimit: Duration? = .milliseconds(300)) -> ScriptEngine {
        ScriptEngine(configuration: .init(timeLimit: timeLimit))
    }

    static func timedOut(_ source: String, line: Int) -> Reply {
        .error("ERR Script exceeded the configured time limit and was stopped script: \(sha(source)), on @user_script:\(line).")
    }

    static func isTimeout(_ reply: Reply?) -> Bool {
        reply?.errorMessage?.hasPrefix("ERR Script exceeded the configured time limit and was stopped") == true
    }

    @Test(arguments: StopPath.allCases)
    func aRunawayWrappedCoroutine(path: StopPath) {
        let engine = Self.engine()
        let s = "return coroutine.wrap(function() while true do end end)()"
        let start = ContinuousClock.now
        let reply = runOnThread(path) { engine.eval(s) }
        #expect(reply == Self.timedOut(s, line: 1))
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(engine.eval("return 1") == .integer(1))
    }

    @Test(arguments: StopPath.allCases)
    func nestedCoroutines(path: StopPath) {
        let engine = Self.engine()
        let wrapped = "return coroutine.wrap(function() return coroutine.wrap(function() return coroutine.wrap(function() while true do end end)() end)() end)()"
        #expect(runOnThread(path) { engine.eval(wrapped) } == Self.timedOut(wrapped, line: 1))
        // Resumed, not wrapped: each resume returns the stop error as a value and each
        // resumer is armed in turn.
        let resumed = """
        local inner = coroutine.create(function() while true do end end)
        local outer = coroutine.create(function() local ok, e = coroutine.resume(inner) return ok, e end)
        local ok, e = coroutine.resume(outer)
        return 'went on'
        """
        #expect(Self.isTimeout(runOnThread(path) { engine.eval(resumed) }))
        // Ending right after the resume: the run still fails with the stop.
        let ending = "local co = coroutine.create(function() while true do end end) return coroutine.resume(co)"
        #expect(Self.isTimeout(runOnThread(path) { engine.eval(ending) }))
    }

    @Test(arguments: StopPath.allCases)
    func catchingTheStopDoesNotLetTheScriptGoOn(path: StopPath) {
        let engine = Self.engine()
        for s in [
            "local co = coroutine.create(function() while true do pcall(function() while true do end end) end end) while true do coroutine.resume(co) end",
            "local co = coroutine.wrap(function() while true do end end) while true do pcall(co) end",
            "while true do xpcall(function() while true do end end, function(e) while true do end end) end",
            "coroutine.wrap(function() while true do xpcall(function() while true do end end, function(e) while true do end end) end end)()",
        ] {
            #expect(Self.isTimeout(runOnThread(path) { engine.eval(s) }), "\(s)")
        }
    }

    /// A coroutine that died of the stop still runs its __close handlers when closed; they
    /// are stopped too (raising from a hook leaves hooks off on the dead coroutine).
    @Test(arguments: StopPath.allCases)
    func closeHandlersOfAStoppedCoroutine(path: StopPath) {
        let engine = Self.engine()
        let s = """
        return coroutine.wrap(function()
          local guard <close> = setmetatable({}, {__close = function() while true do end end})
          while true do end
        end)()
        """
        #expect(runOnThread(path) { engine.eval(s) } == Self.timedOut(s, line: 1))
    }

    /// A function library keeps a coroutine across runs: one run leaves it dead with a
    /// pending __close handler, the next closes it; the handler meets that run's limit.
    @Test(arguments: StopPath.allCases)
    func closingInALaterRunACoroutineTheStopKilled(path: StopPath) {
        let engine = Self.engine()
        let library = """
        #!lua name=closer
        local co
        redis.register_function('start', function()
          co = coroutine.create(function()
            local guard <close> = setmetatable({}, {__close = function() while true do end end})
            while true do end
          end)
          return coroutine.resume(co)
        end)
        redis.register_function('finish', function() return coroutine.close(co) end)
        """
        #expect((try? engine.loadLibrary(ByteString(library))) == "closer")
        let start = runOnThread(path) { engine.callFunction("start", keys: [], args: [], host: FakeHost()) }
        #expect(Self.isTimeout(start))
        let finish = runOnThread(path) { engine.callFunction("finish", keys: [], args: [], host: FakeHost()) }
        #expect(Self.isTimeout(finish))
    }

    /// A coroutine created in one run and resumed in another carries the hook of the run
    /// that created it (lua_newthread copies it): none from a signal run, the count hook
    /// from a hook run. The resume gives it the hook of the run resuming it.
    @Test(arguments: [(StopPath.signal, StopPath.countHook), (.countHook, .signal)])
    func aCoroutineFromAnEarlierRun(created: StopPath, resumed: StopPath) {
        let engine = Self.engine()
        let library = """
        #!lua name=spin
        local co
        redis.register_function('make', function()
          co = coroutine.wrap(function() coroutine.yield() while true do end end)
          co()
          return 1
        end)
        redis.register_function('spin', function() return co() end)
        """
        #expect((try? engine.loadLibrary(ByteString(library))) == "spin")
        #expect(runOnThread(created) { engine.callFunction("make", keys: [], args: [], host: FakeHost()) } == .integer(1))
        let reply = runOnThread(resumed) { engine.callFunction("spin", keys: [], args: [], host: FakeHost()) }
        #expect(Self.isTimeout(reply))
    }

    @Test(arguments: StopPath.allCases)
    func scriptKillReachesACoroutine(path: StopPath) {
        let engine = Self.engine(timeLimit: nil)
        let s = "return coroutine.wrap(function() while true do end end)()"
        let run = startOnThread(path) { engine.eval(s) }
        #expect(eventually { engine.runningCount == 1 })
        #expect(engine.killScripts() == .ok)
        #expect(run.wait() == .error("ERR Script killed by user with SCRIPT KILL... script: \(sha(s)), on @user_script:1."))
        #expect(engine.runningCount == 0)
    }

    @Test(arguments: StopPath.allCases)
    func cancellationReachesACoroutine(path: StopPath) throws {
        let engine = Self.engine(timeLimit: nil)
        let script = try Script("local co = coroutine.wrap(function() while true do end end) co() return 1")
        let token = ScriptCancellation()
        let run = startOnThread(path) { engine.run(script, keys: [], args: [], host: FakeHost(), cancellation: token) }
        #expect(eventually { engine.runningCount == 1 })
        token.cancel()
        #expect(run.wait()?.errorMessage?.hasPrefix("ERR Script cancelled by the caller script: ") == true)
    }
}

/// Host functions called inside coroutines read their arguments from, and push their
/// results on, the coroutine's own stack. Expected replies come from redis-server 7.0.15.
@Suite struct CoroutineHostCallTests {
    let engine = sharedEngine

    func host() -> FakeHost {
        let host = FakeHost()
        host.data["k"] = .string("v")
        return host
    }

    @Test func callReturnsTheReply() {
        #expect(engine.eval("return coroutine.wrap(function() return redis.call('GET', KEYS[1]) end)()", keys: ["k"], host: host()) == .bulk("v"))
        #expect(engine.eval("return coroutine.wrap(function() return coroutine.wrap(function() return redis.call('GET', KEYS[1]) end)() end)()",
                            keys: ["k"], host: host()) == .bulk("v"))
        let s = "local a = coroutine.wrap(function() return redis.call('GET', KEYS[1]) end)() local b = redis.call('GET', KEYS[1]) return {a, b}"
        #expect(engine.eval(s, keys: ["k"], host: host()) == .array([.bulk("v"), .bulk("v")]))
        let yields = "local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(redis.call('INCR', KEYS[1])) end end) return {co(), co(), co()}"
        #expect(engine.eval(yields, keys: ["n"]) == .array([.integer(1), .integer(2), .integer(3)]))
        // A call statement (its reply is not built) inside a coroutine.
        let statement = "coroutine.wrap(function() redis.call('SET', KEYS[1], 'w') end)() return redis.call('GET', KEYS[1])"
        #expect(engine.eval(statement, keys: ["w"]) == .bulk("w"))
        let failing = "coroutine.wrap(function() redis.call('INCR', KEYS[1]) end)() return 1"
        #expect(engine.eval(failing, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(failing)), on @user_script:1."))
    }

    @Test func callErrorsRaiseFromTheCoroutine() {
        let incr = "return coroutine.wrap(function() return redis.call('INCR', KEYS[1]) end)()"
        #expect(engine.eval(incr, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(incr)), on @user_script:1."))
        let nested = "return coroutine.wrap(function() return coroutine.wrap(function() return redis.call('INCR', KEYS[1]) end)() end)()"
        #expect(engine.eval(nested, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(nested)), on @user_script:1."))
        // The position is the main thread's, where the wrapped function was called.
        let lines = "local f = coroutine.wrap(function()\n return redis.call('INCR', KEYS[1])\n end)\n \n return f()"
        #expect(engine.eval(lines, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range script: \(sha(lines)), on @user_script:5."))
        let resumed = "local ok, e = coroutine.resume(coroutine.create(function() return redis.call('INCR', KEYS[1]) end)) return {tostring(ok), type(e), e.err}"
        #expect(engine.eval(resumed, keys: ["k"], host: host()) == .array([.bulk("false"), .bulk("table"), .bulk("ERR value is not an integer or out of range")]))
        for (call, message) in [
            ("redis.call('nosuch')", "ERR Unknown Redis command called from script"),
            ("redis.call()", "ERR Please specify at least one argument for this redis lib call"),
            ("redis.call('GET', {})", "ERR Lua redis lib command arguments must be strings or integers"),
            ("redis.setresp(4)", "ERR RESP version must be 2 or 3."),
            ("redis.log()", "ERR redis.log() requires two arguments or more."),
        ] {
            let s = "return coroutine.wrap(function() return \(call) end)()"
            #expect(engine.eval(s) == .error("\(message) script: \(sha(s)), on @user_script:1."))
        }
    }

    @Test func pcallAndReplyHelpersReturnTheirTables() {
        let pcall = "return coroutine.wrap(function() return redis.pcall('INCR', KEYS[1]) end)()"
        #expect(engine.eval(pcall, keys: ["k"], host: host()) == .error("ERR value is not an integer or out of range"))
        let field = "local t = coroutine.wrap(function() return redis.pcall('INCR', KEYS[1]) end)() return t.err"
        #expect(engine.eval(field, keys: ["k"], host: host()) == .bulk("ERR value is not an integer or out of range"))
        let nested = "local ok, v = coroutine.resume(coroutine.create(function() return coroutine.wrap(function() return redis.pcall('INCR', KEYS[1]) end)() end)) return {tostring(ok), v.err}"
        #expect(engine.eval(nested, keys: ["k"], host: host()) == .array([.bulk("true"), .bulk("ERR value is not an integer or out of range")]))
        #expect(engine.eval("return coroutine.wrap(function() return redis.pcall() end)()")
                == .error("ERR Please specify at least one argument for this redis lib call"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.pcall('GET', {}) end)()")
                == .error("ERR Lua redis lib command arguments must be strings or integers"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.error_reply('MY err') end)()") == .error("MY err"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.status_reply('FINE') end)()") == .status("FINE"))
        #expect(engine.eval("return coroutine.wrap(function() return redis.sha1hex('') end)()") == .bulk("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
        let mixed = "return coroutine.wrap(function() return {redis.call('GET', KEYS[1]), redis.status_reply('OK'), redis.error_reply('X y').err} end)()"
        #expect(engine.eval(mixed, keys: ["k"], host: host()) == .array([.bulk("v"), .status("OK"), .bulk("X y")]))
    }
}

/// The sandbox's coroutine.resume, coroutine.wrap, coroutine.close and xpcall (C functions
/// in CLuaRun) behave as Lua 5.4's own: values, statuses, error texts and positions.
@Suite struct CoroutineLibraryTests {
    let engine = sharedEngine

    @Test func resumeAndWrap() {
        let values = "local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) return c * 2 end) local r = {} local ok, v = coroutine.resume(co, 1, 2) r[1] = v ok, v = coroutine.resume(co, 10) r[2] = v r[3] = coroutine.status(co) ok, v = coroutine.resume(co) r[4] = v return r"
        #expect(engine.eval(values) == .array([.integer(3), .integer(20), .bulk("dead"), .bulk("cannot resume dead coroutine")]))
        let generator = "local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) return {gen(), gen(), gen()}"
        #expect(engine.eval(generator) == .array([.integer(1), .integer(2), .integer(3)]))
        let dead = "local co = coroutine.wrap(function() return 1 end) co() return co()"
        #expect(engine.eval(dead) == .error("ERR user_script:1: cannot resume dead coroutine script: \(sha(dead)), on @user_script:1."))
        let itself = "local co co = coroutine.create(function() local ok, e = coroutine.resume(co) return e end) local ok, e = coroutine.resume(co) return e"
        #expect(engine.eval(itself) == .bulk("cannot resume non-suspended coroutine"))
        let boom = "local f = coroutine.wrap(function()\n error('boom')\n end)\n\n return f()"
        #expect(engine.eval(boom) == .error("ERR user_script:5: user_script:2: boom script: \(sha(boom)), on @user_script:5."))
        let notThread = "return coroutine.resume(1)"
        #expect(engine.eval(notThread) == .error("ERR user_script:1: bad argument #1 to 'resume' (coroutine expected, got number) script: \(sha(notThread)), on @user_script:1."))
        let notFunction = "return coroutine.wrap(1)"
        #expect(engine.eval(notFunction) == .error("ERR user_script:1: bad argument #1 to 'wrap' (function expected, got number) script: \(sha(notFunction)), on @user_script:1."))
        #expect(engine.eval("local co = coroutine.wrap(function() return coroutine.isyieldable(), coroutine.status(coroutine.running()) end) return {co()}")
                == .array([.integer(1), .bulk("running")]))
    }

    @Test func close() {
        let suspended = "local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) return {coroutine.close(co), coroutine.status(co)}"
        #expect(engine.eval(suspended) == .array([.integer(1), .bulk("dead")]))
        let failing = "local co = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() error('in close') end}) coroutine.yield() end) coroutine.resume(co) local ok, e = coroutine.close(co) return {tostring(ok), e}"
        #expect(engine.eval(failing) == .array([.bulk("false"), .bulk("user_script:1: in close")]))
        let running = "return coroutine.close(coroutine.running())"
        #expect(engine.eval(running) == .error("ERR user_script:1: cannot close a running coroutine script: \(sha(running)), on @user_script:1."))
        let normal = "local co co = coroutine.create(function() return coroutine.wrap(function() local ok, e = pcall(coroutine.close, co) return e end)() end) local ok, e = coroutine.resume(co) return e"
        #expect(engine.eval(normal) == .bulk("cannot close a normal coroutine"))
    }

    @Test func xpcall() {
        let handled = "local ok, e = xpcall(function() error('x') end, function(e) return 'handled: ' .. e end) return {tostring(ok), e}"
        #expect(engine.eval(handled) == .array([.bulk("false"), .bulk("handled: user_script:1: x")]))
        #expect(engine.eval("return {xpcall(function(a, b) return a + b, a * b end, function(e) return e end, 3, 4)}")
                == .array([.integer(1), .integer(7), .integer(12)]))
        let yields = "local co = coroutine.wrap(function() return xpcall(function() coroutine.yield(1) return 2 end, function(e) return e end) end) local a = co() local ok, b = co() return {a, tostring(ok), b}"
        #expect(engine.eval(yields) == .array([.integer(1), .bulk("true"), .integer(2)]))
        let notFunction = "return xpcall(function() end, 1)"
        #expect(engine.eval(notFunction) == .error("ERR user_script:1: bad argument #2 to 'xpcall' (function expected, got number) script: \(sha(notFunction)), on @user_script:1."))
    }
}
