import CLuaRun
import Foundation
import LuaStoreCore
import Testing
@testable import LuaStoreScripting

@Suite struct LimitTests {
    static let busyLoop = "local i = 0 while true do i = i + 1 end"

    /// Runs carry no hook; stops come by signal (see clua_run.h), except under Thread
    /// Sanitizer, which delays signals, where the count hook does the checking.
    @Test func runsAreStoppedBySignalOutsideThreadSanitizer() {
        #expect(clua_run_uses_signals() == (clua_run_under_tsan() != 0 ? 0 : 1))
    }

    @Test func timeLimitStopsARun() {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(100)))
        let start = ContinuousClock.now
        let reply = engine.eval(Self.busyLoop)
        #expect(reply == .error("ERR Script exceeded the configured time limit and was stopped script: \(sha(Self.busyLoop)), on @user_script:1."))
        #expect(ContinuousClock.now - start < .seconds(5))
        // The state is reusable afterwards.
        #expect(engine.eval("return 1") == .integer(1))
    }

    /// A thread that blocks the stop signal gets the count hook instead, and still stops.
    @Test func aThreadBlockingTheSignalStillStops() async {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(100)))
        let reply = await Thread.detachedRun { () -> Reply in
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            return engine.eval(Self.busyLoop)
        }.value
        #expect(reply.errorMessage?.hasPrefix("ERR Script exceeded the configured time limit") == true)
    }

    /// The watchdog stops every run whose deadline passes, not only the first.
    @Test func concurrentRunsAllTimeOut() async {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(100)))
        let runs = (0..<3).map { _ in Thread.detachedRun { engine.eval(Self.busyLoop) } }
        for run in runs {
            let reply = await run.value
            #expect(reply.errorMessage?.hasPrefix("ERR Script exceeded the configured time limit") == true)
        }
    }

    @Test func pcallCannotSwallowTheStop() {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(100)))
        let s = "while true do pcall(function() while true do end end) end"
        #expect(engine.eval(s).errorMessage?.hasPrefix("ERR Script exceeded the configured time limit") == true)
    }

    @Test func scriptKillFromAnotherThread() async throws {
        let engine = ScriptEngine(configuration: .init(timeLimit: nil))
        #expect(engine.killScripts() == .error("NOTBUSY No scripts in execution right now."))
        let task = Thread.detachedRun { engine.eval(Self.busyLoop) }
        while engine.runningCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(engine.killFunctions() == .error("NOTBUSY No scripts in execution right now."))
        #expect(engine.killScripts() == .ok)
        let reply = await task.value
        #expect(reply == .error("ERR Script killed by user with SCRIPT KILL... script: \(sha(Self.busyLoop)), on @user_script:1."))
        #expect(engine.runningCount == 0)
    }

    @Test func cancellationFromAnotherThread() async throws {
        let engine = ScriptEngine(configuration: .init(timeLimit: nil))
        let token = ScriptCancellation()
        let task = Thread.detachedRun {
            engine.run(try! Script(Self.busyLoop), keys: [], args: [], host: FakeHost(), cancellation: token)
        }
        while engine.runningCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        token.cancel()
        let reply = await task.value
        #expect(reply.errorMessage?.hasPrefix("ERR Script cancelled by the caller script: ") == true)
        // Cancelled before the start: fails at the first hook check.
        let early = ScriptCancellation()
        early.cancel()
        #expect(engine.run(try Script(Self.busyLoop), keys: [], args: [], host: FakeHost(), cancellation: early)
                .errorMessage?.hasPrefix("ERR Script cancelled by the caller") == true)
    }

    @Test func memoryCapFailsTheScriptNotTheHost() {
        let engine = ScriptEngine(configuration: .init(memoryLimitPerState: 8 << 20))
        let s = "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end"
        #expect(engine.eval(s) == .error("ERR Error running script \(sha(s)), not enough memory"))
        // A fresh state serves the next run.
        #expect(engine.eval("return #string.rep('y', 1000)") == .integer(1000))
        let big = "return #string.rep('x', 64 * 1024 * 1024)"
        #expect(engine.eval(big).errorMessage?.contains("not enough memory") == true)
    }

    @Test func hostRepliesMayExceedTheCapWithoutRaisingInSwift() {
        // The reply is pushed while the allocator is unlimited; the script fails only when its
        // own Lua code allocates past the cap.
        let engine = ScriptEngine(configuration: .init(memoryLimitPerState: 4 << 20))
        let host = FakeHost()
        host.data["big"] = .string(ByteString([UInt8](repeating: 0x41, count: 6 << 20)))
        #expect(engine.eval("return #redis.call('get', 'big')", host: host) == .integer(6 << 20))
    }
}

extension Thread {
    /// Runs `body` on a new thread (scripts block their thread) and awaits its result.
    static func detachedRun<T: Sendable>(_ body: @escaping @Sendable () -> T) -> Task<T, Never> {
        Task {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: body()) }.start()
            }
        }
    }
}
