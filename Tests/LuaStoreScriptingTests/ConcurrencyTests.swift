import Foundation
import LuaStoreCore
import Synchronization
import Testing
@testable import LuaStoreScripting

@Suite struct ConcurrencyTests {
    @Test func parallelRunsOnDistinctHostsDoNotInterfere() async {
        let engine = ScriptEngine()
        let script = try! engine.load(ByteString("""
        for i = 1, tonumber(ARGV[1]) do redis.call('incr', KEYS[1]) end
        local t = {} for i = 1, 200 do t[i] = cjson.encode({i, KEYS[1]}) end
        return redis.call('get', KEYS[1])
        """))
        let threads = 8
        let results = await withTaskGroup(of: (Int, Reply, Int64).self) { group in
            for n in 0..<threads {
                group.addTask {
                    await Thread.detachedRun {
                        let host = FakeHost()
                        let reply = engine.run(script, keys: [ByteString("k\(n)")], args: [ByteString("\(500 + n)")], host: host)
                        let stored: Int64
                        if case .string(let s)? = host.data[ByteString("k\(n)")] { stored = Int64(s.string) ?? -1 } else { stored = -1 }
                        return (n, reply, stored)
                    }.value
                }
            }
            var all: [(Int, Reply, Int64)] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == threads)
        for (n, reply, stored) in results {
            #expect(reply == .bulk(ByteString("\(500 + n)")))
            #expect(stored == Int64(500 + n))
        }
    }

    @Test func runsOnSeveralThreadsOverlapInTime() {
        // Two CPU-bound scripts started together on two threads: a watcher thread sees both
        // running at once. (Threads and a start barrier rather than tasks: under Thread
        // Sanitizer on 2 cores, pool-scheduled tasks started too late to overlap.)
        let engine = ScriptEngine(configuration: .init(timeLimit: nil))
        let source = "local x = 0 for i = 1, 1e8 do x = x + i end return 1"
        let maxSeen = Locked(0)
        let finished = Locked(false)
        let replies = Locked<[Reply]>([])
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        Thread {
            while !finished.withLock({ $0 }) {
                let n = engine.runningCount
                maxSeen.withLock { $0 = max($0, n) }
                usleep(200)
            }
        }.start()
        for _ in 0..<2 {
            done.enter()
            Thread {
                ready.signal()
                go.wait()
                let reply = engine.eval(source)
                replies.withLock { $0.append(reply) }
                done.leave()
            }.start()
        }
        ready.wait()
        ready.wait()
        go.signal()
        go.signal()
        done.wait()
        finished.withLock { $0 = true }
        #expect(replies.withLock { $0 } == [.integer(1), .integer(1)])
        #expect(maxSeen.withLock { $0 } == 2)
    }
}

@Suite struct AutoAsyncTests {
    let engine = ScriptEngine(configuration: .init(autoAsync: true))

    @Test func rewriteRules() {
        let source = """
        redis.call('set', 'a', 1)
          redis.pcall('set', 'b', 2)
        local x = redis.call('get', 'a')
        local y =
          redis.call('get', 'b')
        return redis.call('get', 'a')
        """
        let rewritten = String(decoding: AutoAsync.rewrite(Array(source.utf8)), as: UTF8.self)
        #expect(rewritten == """
        redis.acall('set', 'a', 1)
          redis.apcall('set', 'b', 2)
        local x = redis.call('get', 'a')
        local y =
          redis.call('get', 'b')
        return redis.call('get', 'a')
        """)
    }

    @Test func rewriteKeepsBinaryBytesAndCRLF() {
        let source: [UInt8] = Array("redis.call('set', 'k', '".utf8) + [0xff, 0xfe] + Array("')\r\nlocal x = 1 -- redis.call(\r\nredis.pcall('get', 'k')".utf8)
        let expected: [UInt8] = Array("redis.acall('set', 'k', '".utf8) + [0xff, 0xfe] + Array("')\r\nlocal x = 1 -- redis.call(\r\nredis.apcall('get', 'k')".utf8)
        #expect(AutoAsync.rewrite(source) == expected)
    }

    @Test func queuedCallsRunInOrderAndFlushBeforeSynchronousCalls() {
        let host = FakeHost()
        let reply = engine.eval("""
        redis.call('set', 'a', '1')
        redis.call('incr', 'a')
        local v = redis.call('get', 'a')
        redis.call('set', 'b', v)
        return v
        """, host: host)
        #expect(reply == .bulk("2"))
        #expect(host.enqueued == 3)
        #expect(host.log.map { $0.joined(separator: " ") } == [
            "QUEUED SET a 1", "QUEUED INCR a",
            "SET a 1", "INCR a",             // flushed before the synchronous GET
            "GET a",
            "QUEUED SET b 2",
            "SET b 2",                       // flushed at the end of the script
        ])
    }

    /// `redis.call` reuses one argument array per argument count; a queued call keeps its
    /// own arguments when the next call of the same shape fills that array again.
    @Test func queuedCallsKeepTheirArguments() {
        let host = FakeHost()
        let reply = engine.eval("""
        redis.call('set', 'a', '1')
        redis.call('set', 'b', '2')
        return {redis.call('get', 'a'), redis.call('get', 'b')}
        """, host: host)
        #expect(reply == .array([.bulk("1"), .bulk("2")]))
        #expect(host.log.filter { $0.first == "SET" }.map { $0.joined(separator: " ") } == ["SET a 1", "SET b 2"])
    }

    @Test func errorsOfQueuedCallsAbortAtTheFlushPoint() {
        let host = FakeHost()
        host.data["s"] = .string("foo")
        let s = """
        redis.call('incr', 's')
        redis.call('set', 'after', 'x')
        local v = redis.call('get', 'after')
        return 'not reached'
        """
        let reply = engine.eval(s, host: host)
        #expect(reply == .error("ERR value is not an integer or out of range script: \(sha(s)), on @user_script:3."))
        // At the end of a script: the queued call's error without position.
        let host2 = FakeHost()
        host2.data["s"] = .string("foo")
        #expect(engine.eval("redis.call('incr', 's')\nreturn 1", host: host2) == .error("ERR value is not an integer or out of range"))
    }

    @Test func errorsOfQueuedPcallsDoNotAbort() {
        let host = FakeHost()
        host.data["s"] = .string("foo")
        #expect(engine.eval("redis.pcall('incr', 's')\nreturn redis.call('get', 's')", host: host) == .bulk("foo"))
        #expect(host.enqueued == 1)
    }

    @Test func explicitAsyncCallsWorkWithoutTheSwitch() {
        let host = FakeHost()
        #expect(sharedEngine.eval("redis.acall('set', 'k', 'v'); return redis.call('get', 'k')", host: host) == .bulk("v"))
        #expect(host.enqueued == 1)
    }
}

@Suite struct CommandTests {
    @Test func parseEvalFamily() throws {
        let engine = ScriptEngine()
        let inv = try ScriptInvocation.parse(["EVAL", "#!lua flags=no-writes\nreturn 1", "2", "k1", "k2", "a1"], engine: engine).get()
        #expect(inv.keys == ["k1", "k2"] && inv.args == ["a1"])
        #expect(inv.flags == [.noWrites])
        #expect(engine.execute(inv, host: FakeHost()) == .integer(1))
        func error(_ argv: [ByteString]) -> String? {
            if case .failure(let e) = ScriptInvocation.parse(argv, engine: engine) { return e.message }
            return nil
        }
        #expect(error(["EVAL", "return 1"]) == "ERR wrong number of arguments for 'eval' command")
        #expect(error(["EVAL", "return 1", "-1"]) == "ERR Number of keys can't be negative")
        #expect(error(["EVAL", "return 1", "2", "a"]) == "ERR Number of keys can't be greater than number of args")
        #expect(error(["EVAL", "return 1", "x"]) == "ERR value is not an integer or out of range")
        #expect(error(["FCALL", "f", "x"]) == "ERR Bad number of keys provided")
        #expect(error(["FCALL", "f", "0"]) == "ERR Function not found")
        #expect(error(["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"]) == "NOSCRIPT No matching script. Please use EVAL.")
        #expect(error(["EVAL_RO", "#!lua\nreturn 1", "0"]) == "ERR Can not execute a script with write flag using *_ro command.")
    }

    @Test func adminCommands() {
        let engine = ScriptEngine()
        #expect(engine.executeAdmin(["SCRIPT", "LOAD", "return 1"]) == .bulk("e0e1f9fabfc9d4800c877a703b823ac0578ff8db"))
        #expect(engine.executeAdmin(["SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "x"]) == .array([.integer(1), .integer(0)]))
        #expect(engine.executeAdmin(["SCRIPT", "FLUSH", "x"]) == .error("ERR SCRIPT FLUSH only support SYNC|ASYNC option"))
        #expect(engine.executeAdmin(["SCRIPT", "FLUSH", "ASYNC"]) == .ok)
        #expect(engine.executeAdmin(["SCRIPT", "LOAD"]) == .error("ERR wrong number of arguments for 'script|load' command"))
        #expect(engine.executeAdmin(["SCRIPT", "bogus"]) == .error("ERR unknown subcommand 'bogus'. Try SCRIPT HELP."))
        #expect(engine.executeAdmin(["SCRIPT", "KILL"]) == .error("NOTBUSY No scripts in execution right now."))
        #expect(engine.executeAdmin(["FUNCTION", "LOAD", "bogus", "x"]) == .error("ERR Unknown option given: bogus"))
        #expect(engine.executeAdmin(["FUNCTION", "LOAD", "REPLACE", "#!lua name=l\nredis.register_function('f', function() return 7 end)"]) == .bulk("l"))
        #expect(engine.executeAdmin(["FUNCTION", "LIST", "WITHCODE", "x"]) == .error("ERR Unknown argument x"))
        #expect(engine.executeAdmin(["FUNCTION", "LIST", "LIBRARYNAME"]) == .error("ERR library name argument was not given"))
        #expect(engine.executeAdmin(["FUNCTION", "DELETE"]) == .error("ERR wrong number of arguments for 'function|delete' command"))
        #expect(engine.executeAdmin(["FUNCTION", "FLUSH", "x"]) == .error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"))
        #expect(engine.executeAdmin(["FUNCTION", "DELETE", "l"]) == .ok)
    }
}
