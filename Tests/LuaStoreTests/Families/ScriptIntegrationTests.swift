import Dispatch
import Foundation
import Synchronization
import Testing
@testable import LuaStore

@Suite struct ScriptIntegrationTests {
    let store = LuaStore()

    /// Blocking commands flagged `noscript` in Redis 7.0 are refused inside scripts; SCRIPT
    /// and FUNCTION subcommands carry their own flags.
    @Test func noscriptCommands() {
        let refused = "ERR This Redis command is not allowed from script script: "
        for call in ["'blpop', KEYS[1], 0", "'brpop', KEYS[1], 0", "'bzpopmin', KEYS[1], 0", "'brpoplpush', KEYS[1], KEYS[1], 0",
                     "'blmove', KEYS[1], KEYS[1], 'LEFT', 'LEFT', 0", "'script', 'load', 'return 1'", "'function', 'list'"] {
            let source = "return redis.pcall(\(call))"
            guard case .error(let line) = run(store, "EVAL", source, "1", "k") else {
                Issue.record("\(call) was not refused")
                continue
            }
            #expect(line.hasPrefix(refused) || line == "ERR This Redis command is not allowed from script", "\(call): \(line)")
        }
        expect(store, ["EVAL", "return redis.call('blmpop', 0, 1, KEYS[1], 'LEFT')", "1", "k"], .null)
        expect(store, ["EVAL", "return redis.pcall('script', 'nosuch')", "0"], .err("ERR Unknown Redis command called from script"))
    }

    /// A transaction's commands can answer a RESP3 caller.
    @Test func transactionForRESP3Callers() {
        store.transaction(keys: ["h"]) { tx in
            #expect(tx.execute(["HSET", "h", "f", "v"]) == .integer(1))
            #expect(tx.execute(["HGETALL", "h"], protocol: .resp3) == .map([.init(key: .bulk("f"), value: .bulk("v"))]))
            #expect(tx.execute(["HGETALL", "h"]) == .array([.bulk("f"), .bulk("v")]))
        }
    }

    @Test func evalThroughExecute() {
        expect(store, ["EVAL", "return redis.call('SET', KEYS[1], ARGV[1])", "1", "k", "v"], .ok)
        expect(store, ["EVAL", "return redis.call('GET', KEYS[1])", "1", "k"], .bulk("v"))
        expect(store, ["EVAL", "return {1, 'two', {3}}", "0"], .array([.integer(1), .bulk("two"), .array([.integer(3)])]))
        guard case .bulk(let sha) = run(store, "SCRIPT", "LOAD", "return ARGV[1]") else { Issue.record("SCRIPT LOAD"); return }
        expect(store, ["EVALSHA", sha.string, "0", "hi"], .bulk("hi"))
        expect(store, ["EVALSHA", sha.string.uppercased(), "0", "hi"], .bulk("hi"))
        expect(store, ["EVALSHA", String(repeating: "0", count: 40), "0"], .error("NOSCRIPT No matching script. Please use EVAL."))
    }

    @Test func undeclaredKeysAndFlags() {
        let undeclared = run(store, "EVAL", "return redis.call('GET', 'other')", "1", "k")
        #expect(undeclared.errorMessage?.hasPrefix("ERR script tried accessing undeclared key, key: other") == true, "\(undeclared)")
        expect(store, ["EVAL", "--!df flags=allow-undeclared-keys\nreturn redis.call('SET', 'other', 1)", "0"], .ok)
        expect(store, ["EVAL", "#!lua flags=allow-undeclared-keys\nreturn redis.call('GET', 'other')", "0"], .bulk("1"))
        let readOnly = run(store, "EVAL", "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 1)", "1", "k")
        #expect(readOnly.errorMessage?.hasPrefix("ERR Write commands are not allowed from read-only scripts") == true, "\(readOnly)")
        let ro = run(store, "EVAL_RO", "return redis.call('SET', KEYS[1], 1)", "1", "k")
        #expect(ro.errorMessage?.contains("Write commands are not allowed from read-only scripts") == true, "\(ro)")
        let nested = run(store, "EVAL", "return redis.call('EVAL', 'return 1', 0)", "0")
        #expect(nested.errorMessage?.contains("not allowed from script") == true, "\(nested)")
    }

    @Test func typedEval() throws {
        let script = try store.scriptLoad("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try store.eval(script, keys: ["n"], args: ["5"]) == .integer(5))
        #expect(try store.evalsha(script.sha1, keys: ["n"], args: ["2"]) == .integer(7))
        try store.set("text", "abc")
        #expect(throws: StoreError.self) { try store.eval("return redis.call('INCR', KEYS[1])", keys: ["text"]) }
        #expect(throws: StoreError.noScript) { try store.evalsha("deadbeef") }
    }

    @Test func functions() {
        let lib = "#!lua name=mylib\nredis.register_function('incr2', function(keys, args) return redis.call('INCRBY', keys[1], 2) end)"
        expect(store, ["FUNCTION", "LOAD", lib], .bulk("mylib"))
        expect(store, ["FCALL", "incr2", "1", "f"], .integer(2))
        #expect((try? store.fcall("incr2", keys: ["f"])) == .integer(4))
    }

    @Test func atomicScriptsLoseNoUpdateUnderContention() {
        let script = "local v = tonumber(redis.call('GET', KEYS[1]) or '0'); redis.call('SET', KEYS[1], v + 1); return v + 1"
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<300 { _ = store.execute(["EVAL", script, "1", "counter"]) }
        }
        expect(store, ["GET", "counter"], .bulk("1200"))
    }

    @Test func longAtomicScriptLeavesOtherKeysAvailable() throws {
        try store.set("free", "1")
        let finished = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        let store = store
        Thread.detachNewThread {
            // Holds key A for ~500 ms of wall time (redis TIME: os.clock is process CPU time).
            let script = "redis.call('SET', KEYS[1], 'busy'); local function now() local t = redis.call('TIME'); return t[1] * 1000000 + t[2] end; local s = now(); while now() - s < 500000 do end; return 1"
            _ = store.execute(["EVAL", ByteString(script), "1", "A"])
            finished.store(true, ordering: .releasing)
            done.signal()
        }
        // Wait until the script holds A (its SET is visible only after it ends; poll the
        // lock), or has ended already on a very slow machine.
        while store.core.keyspace.shard(for: "A").0.withState({ $0.locks.keys.isEmpty }) {
            if finished.load(ordering: .acquiring) { break }
            usleep(100)
        }
        let running = !finished.load(ordering: .acquiring)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<1_000 { _ = try? store.get("free") }
        }
        // Reads of another key did not wait for the script.
        if running {
            #expect(elapsed < .milliseconds(250))
            #expect(done.wait(timeout: .now() + .milliseconds(10)) == .timedOut)
        }
        // A read of A waits for the script and then sees its write.
        #expect(try store.get("A") == "busy")
        done.wait()
    }

    @Test func nonAtomicScriptsInterleave() throws {
        // With disable-atomicity the script holds no lock: another caller's write lands mid-run.
        let script = "--!df flags=disable-atomicity\nredis.call('SET', KEYS[1], 'a'); local t = os.clock(); while redis.call('GET', KEYS[1]) == 'a' and os.clock() - t < 2 do end; return redis.call('GET', KEYS[1])"
        let result = Mutex<Reply?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let reply = store.execute(["EVAL", script, "1", "x"])
            result.withLock { $0 = reply }
            done.signal()
        }
        while (try? store.get("x")) != "a" { }
        try store.set("x", "b")
        done.wait()
        #expect(result.withLock { $0 } == .bulk("b"))
    }
}
