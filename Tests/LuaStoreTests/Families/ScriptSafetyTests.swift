import Dispatch
import Foundation
import Synchronization
import Testing
@testable import LuaStore

/// Hostile scripts against the whole store: the stop reaches coroutines (and the keys they
/// lock are released), finalizers cannot outlive their script.
@Suite struct ScriptSafetyTests {
    /// Runs `body` on a thread of its own whose signal mask lets the engine stop runs by
    /// signal (test runner threads may block signals); nil if it has not finished in `bound`.
    func onThread<T: Sendable>(within bound: DispatchTimeInterval = .seconds(10), _ body: @escaping @Sendable () -> T) -> T? {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_UNBLOCK, &all, nil)
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        guard done.wait(timeout: .now() + bound) == .success else { return nil }
        return result.withLock { $0 }
    }

    @Test func scriptKillStopsARunawayCoroutineAndReleasesItsKeys() throws {
        let store = LuaStore(configuration: .init(scripting: .init(timeLimit: nil)))
        try store.set("k", "1")
        let script = "redis.call('GET', KEYS[1]) return coroutine.wrap(function() while true do end end)()"
        let run = Mutex<Reply??>(nil)
        Thread.detachNewThread { [self] in
            let reply = onThread { store.execute(["EVAL", script, "1", "k"]) }
            run.withLock { $0 = .some(reply) }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while store.core.scripts.runningCount == 0 && ContinuousClock.now < deadline { usleep(100) }
        expect(store, ["SCRIPT", "KILL"], .ok)
        while run.withLock({ $0 == nil }) && ContinuousClock.now < deadline { usleep(1000) }
        let reply = run.withLock { $0 } ?? nil
        #expect(reply?.errorMessage?.hasPrefix("ERR Script killed by user with SCRIPT KILL...") == true, "\(String(describing: reply))")
        // Its lock on k is gone: a write goes through at once.
        #expect(onThread(within: .seconds(5)) { store.execute(["SET", "k", "2"]) } == .ok)
    }

    @Test func theTimeLimitStopsARunawayCoroutine() {
        let store = LuaStore(configuration: .init(scripting: .init(timeLimit: .milliseconds(300))))
        let reply = onThread { store.execute(["EVAL", "return coroutine.wrap(function() while true do end end)()", "1", "k"]) }
        #expect(reply?.errorMessage?.hasPrefix("ERR Script exceeded the configured time limit and was stopped") == true)
        #expect(onThread(within: .seconds(5)) { store.execute(["SET", "k", "2"]) } == .ok)
    }

    /// A script's finalizer would run in later scripts' runs (writing their keys), and an
    /// endless one would hang SCRIPT FLUSH and the store's teardown.
    @Test func finalizersCannotOutliveTheirScript() {
        let refused = "Attempt to set a metatable with a __gc field: scripts cannot install finalizers"
        let outcome = onThread { () -> [Reply] in
            var store: LuaStore? = LuaStore(configuration: .init(scripting: .init(timeLimit: .milliseconds(300))))
            let rearming = "local function arm() setmetatable({}, {__gc = function() pcall(redis.call, 'SET', KEYS[1], 'owned') arm() end}) end arm() return 1"
            let endless = "setmetatable({}, {__gc = function() while true do end end}) return 1"
            var replies = [store!.execute(["EVAL", rearming, "1", "victim"]), store!.execute(["EVAL", endless, "0"])]
            replies.append(store!.execute(["EVAL", "collectgarbage() collectgarbage() return redis.call('GET', KEYS[1])", "1", "victim"]))
            replies.append(store!.execute(["SCRIPT", "FLUSH"]))
            store = nil
            return replies
        }
        #expect(outcome?.count == 4)
        guard let outcome, outcome.count == 4 else { return }
        #expect(outcome[0].errorMessage?.contains(refused) == true)
        #expect(outcome[1].errorMessage?.contains(refused) == true)
        #expect(outcome[2] == .null)
        #expect(outcome[3] == .ok)
    }
}
