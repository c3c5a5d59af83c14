import Dispatch
import Foundation
import Synchronization
import Testing
@testable import LuaStore

/// SCRIPT KILL and FUNCTION KILL against running scripts, through the store (so the
/// write handshake of ``ScriptRun`` is what decides).
@Suite struct ScriptKillTests {
    let store = LuaStore()

    /// Runs `argv` on a thread of its own (not a Dispatch worker: while tests wait for the
    /// script to start, Dispatch may not add a worker for it on a 2-core machine); returns
    /// a wait for its reply.
    /// Waits until the script runs (or has already finished: the wait never hangs).
    func start(_ argv: [ByteString]) -> () -> Reply {
        let result = Mutex<Reply?>(nil)
        let done = DispatchSemaphore(value: 0)
        let store = store
        Thread.detachNewThread {
            let reply = store.execute(argv)
            result.withLock { $0 = reply }
            done.signal()
        }
        while store.core.scripts.runningCount == 0 && result.withLock({ $0 == nil }) { usleep(100) }
        return { done.wait(); return result.withLock { $0! } }
    }

    @Test func killStopsAScriptThatHasNotWrittenAndReleasesItsKeys() throws {
        try store.set("k", "1")
        let wait = start(["EVAL", "redis.call('GET', KEYS[1]); while true do end", "1", "k"])
        expect(store, ["SCRIPT", "KILL"], .ok)
        let reply = wait()
        #expect(reply.errorMessage?.hasPrefix("ERR Script killed by user with SCRIPT KILL...") == true, "\(reply)")
        // Its lock on k is gone: a write goes through at once.
        try store.set("k", "2")
        #expect(try store.get("k") == "2")
        expect(store, ["SCRIPT", "KILL"], .error("NOTBUSY No scripts in execution right now."))
    }

    @Test func killRefusesAScriptThatHasWritten() throws {
        // disable-atomicity makes the write visible at once, so the test kills only after
        // it happened (an atomic script's write is the same for the kill, but unobservable).
        let script = "--!df flags=disable-atomicity\nredis.call('SET', KEYS[1], 'done'); local t = os.clock(); while os.clock() - t < 1 do end; return 'finished'"
        let wait = start(["EVAL", ByteString(script), "1", "w"])
        while try store.get("w") == nil { usleep(100) }
        let unkillable = Reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.")
        expect(store, ["SCRIPT", "KILL"], unkillable)
        #expect(wait() == .bulk("finished"))
        expect(store, ["GET", "w"], .bulk("done"))
    }

    @Test func aKillThatComesFirstBlocksTheFirstWrite() {
        // The script spins before writing; the kill lands first, so the SET never runs even
        // though the script catches errors with pcall.
        let script = "local t = os.clock(); while os.clock() - t < 0.2 do end; local r = redis.pcall('SET', KEYS[1], 'x'); while true do end"
        let wait = start(["EVAL", ByteString(script), "1", "never"])
        expect(store, ["SCRIPT", "KILL"], .ok)
        #expect(wait().errorMessage?.hasPrefix("ERR Script killed by user") == true)
        expect(store, ["EXISTS", "never"], .integer(0))
    }

    @Test func functionKillAppliesToFunctionsOnly() {
        let lib = "#!lua name=spin\nredis.register_function('spin', function(keys, args) while true do end end)"
        expect(store, ["FUNCTION", "LOAD", lib], .bulk("spin"))
        let wait = start(["FCALL", "spin", "0"])
        expect(store, ["SCRIPT", "KILL"], .error("NOTBUSY No scripts in execution right now."))
        expect(store, ["FUNCTION", "KILL"], .ok)
        #expect(wait().errorMessage?.hasPrefix("ERR Script killed by user") == true)
    }
}
