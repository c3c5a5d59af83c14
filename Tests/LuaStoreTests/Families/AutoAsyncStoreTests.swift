import Testing
@testable import LuaStore
import LuaStoreCore
import LuaStoreScripting

/// Auto-async against the real store: queued calls run as the script's owner, grouped by
/// shard, possibly on the flush pool's workers.
@Suite struct AutoAsyncStoreTests {
    static func store(autoAsync: Bool) -> LuaStore {
        LuaStore(configuration: .init(scripting: .init(autoAsync: autoAsync)))
    }

    /// Every key and its value, as DUMP-free text (type and contents).
    static func snapshot(_ store: LuaStore) -> [String: String] {
        var state: [String: String] = [:]
        guard case .array(let keys) = store.execute(["KEYS", "*"]) else { return state }
        for case .bulk(let key) in keys {
            let k = key.string
            let type = store.execute(["TYPE", k])
            let value: Reply
            switch type {
            case .status("string"): value = store.execute(["GET", k])
            case .status("list"): value = store.execute(["LRANGE", k, "0", "-1"])
            case .status("set"): value = store.execute(["SORT", k, "ALPHA"])
            case .status("zset"): value = store.execute(["ZRANGE", k, "0", "-1", "WITHSCORES"])
            case .status("hash"): value = store.execute(["HGETALL", k])
            default: value = type
            }
            state[k] = "\(type) \(value)"
        }
        return state
    }

    /// 200 statement writes over 8 keys: enough for a parallel flush.
    static let writeHeavy = """
    for i = 1, 25 do
      for _, k in ipairs(KEYS) do
        redis.call('RPUSH', k, i)
        redis.pcall('LTRIM', k, -10, -1)
      end
    end
    return redis.call('LRANGE', KEYS[1], 0, -1)
    """

    @Test func aParallelFlushGivesTheSynchronousReplyAndState() throws {
        let keys = (0..<8).map { "list\($0)" }
        let sync = Self.store(autoAsync: false), async = Self.store(autoAsync: true)
        for store in [sync, async] {
            for _ in 0..<3 {
                expect(store, ["EVAL", Self.writeHeavy, "8"] + keys, .bulks("16", "17", "18", "19", "20", "21", "22", "23", "24", "25"))
            }
        }
        #expect(Self.snapshot(async) == Self.snapshot(sync))
        #expect(Self.snapshot(async).count == 8)
    }

    @Test func explicitAsyncCallsWorkWithoutTheSwitch() {
        let store = Self.store(autoAsync: false)
        expect(store, ["EVAL", "redis.acall('SET', KEYS[1], 'a') redis.apcall('INCR', KEYS[2]) return redis.call('GET', KEYS[1])", "2", "x", "n"], .bulk("a"))
        expect(store, ["GET", "n"], .bulk("1"))
    }

    /// The first failed `acall` in script order is the error, at its flush point; every
    /// other queued call of that flush still ran, and so did the writes before it.
    @Test(arguments: [1, 100])
    func aFailingAcallAbortsAtItsFlushPoint(padding: Int) {
        let store = Self.store(autoAsync: true)
        run(store, "SET", "s", "text")
        let source = """
        for i = 1, \(padding) do redis.call('INCR', KEYS[1]) end
        redis.call('LPUSH', KEYS[2], 'x')
        redis.call('INCR', KEYS[3])
        redis.call('SET', KEYS[4], 'after')
        redis.call('SET', KEYS[5], 'never')
        """
        let flushPoint = source + "\nlocal v = redis.call('GET', KEYS[1])\nredis.call('SET', KEYS[5], 'not reached')"
        guard case .error(let line) = store.execute(["EVAL", flushPoint, "5", "n", "s", "s2", "after", "late"]) else {
            Issue.record("no error")
            return
        }
        #expect(line.hasPrefix("WRONGTYPE Operation against a key holding the wrong kind of value script:"), "\(line)")
        #expect(line.hasSuffix("on @user_script:6."), "\(line)")
        expect(store, ["GET", "n"], .bulk("\(padding)"))
        expect(store, ["GET", "s2"], .bulk("1"))
        expect(store, ["GET", "after"], .bulk("after"))
        expect(store, ["GET", "late"], .bulk("never"))
        // At the end of the script, the error is the command's own line.
        expect(store, ["EVAL", "redis.call('LPUSH', KEYS[1], 'x')", "1", "s"],
               .err("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    /// A queue long enough to be drained while the script goes on (a segment at a time)
    /// and then flushed: every key's calls run in the script's order, and the error is
    /// the first failure in the script's order (an INCR on text), not a later one (an
    /// LPUSH on a string), whichever thread ran each.
    @Test(arguments: [(150, 550), (550, 590), (70, 600)])
    func aDrainedQueueKeepsTheScriptsOrderAndFirstError(first: Int, second: Int) {
        let source = """
        for i = 1, 600 do
          redis.call('RPUSH', KEYS[(i * 7) % (#KEYS - 1) + 1], i)
          if i == tonumber(ARGV[1]) then redis.call('INCR', KEYS[#KEYS]) end
          if i == tonumber(ARGV[2]) then redis.call('LPUSH', KEYS[#KEYS], 'y') end
        end
        return 1
        """
        let keys = (0..<6).map { "drain\($0)" } + ["text"]
        let reference = Self.store(autoAsync: false), async = Self.store(autoAsync: true)
        for store in [reference, async] { run(store, "SET", "text", "x") }
        for _ in 0..<3 {
            expect(reference, ["EVAL", source, "\(keys.count)"] + keys + ["0", "0"], .integer(1))
            expect(async, ["EVAL", source, "\(keys.count)"] + keys + ["\(first)", "\(second)"],
                   .err("ERR value is not an integer or out of range"))
        }
        // Every queued call ran, in each key's order, as a run without failures.
        #expect(Self.snapshot(async) == Self.snapshot(reference))
    }

    @Test func apcallErrorsVanish() {
        let store = Self.store(autoAsync: true)
        run(store, "SET", "s", "text")
        expect(store, ["EVAL", "redis.pcall('LPUSH', KEYS[1], 'x') redis.call('SET', KEYS[2], 'y') return redis.call('GET', KEYS[2])", "2", "s", "t"], .bulk("y"))
        expect(store, ["EVAL", "redis.apcall('LPUSH', KEYS[1], 'x') return 1", "1", "s"], .integer(1))
    }

    /// Script checks still apply to queued calls, at once: undeclared keys, read-only
    /// scripts, wrong arity, unknown commands.
    @Test func scriptChecksStillApply() {
        let store = Self.store(autoAsync: true)
        let undeclared = store.execute(["EVAL", "redis.call('SET', 'other', 1) return 1", "1", "k"])
        #expect(undeclared.errorMessage?.hasPrefix("ERR script tried accessing undeclared key, key: other script: ") == true)
        guard case .error(let readOnly) = store.execute(["EVAL_RO", "redis.call('SET', KEYS[1], 1) return 1", "1", "k"]) else {
            Issue.record("EVAL_RO wrote")
            return
        }
        #expect(readOnly.hasPrefix("ERR Write commands are not allowed from read-only scripts."))
        guard case .error(let arity) = store.execute(["EVAL", "redis.call('SET', KEYS[1]) return 1", "1", "k"]) else {
            Issue.record("arity")
            return
        }
        #expect(arity.hasPrefix("ERR Wrong number of args calling Redis command from script"))
        expect(store, ["EXISTS", "k", "other"], .integer(0))
    }

    /// Reads, multi-key writes and key-less commands are not queued: the queue flushes
    /// first, so they see every earlier write.
    @Test func otherCommandsFlushFirst() {
        let store = Self.store(autoAsync: true)
        let source = """
        redis.call('SET', KEYS[1], 'v')
        redis.call('RENAME', KEYS[1], KEYS[2])
        redis.call('APPEND', KEYS[2], 'w')
        redis.call('MSET', KEYS[3], 'm')
        redis.call('APPEND', KEYS[3], 'n')
        return {redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3])}
        """
        expect(store, ["EVAL", source, "3", "a", "b", "c"], .bulks("vw", "mn"))
    }

    /// Non-atomic scripts run their async calls at once, in order.
    @Test func disableAtomicityRunsSynchronously() {
        let store = Self.store(autoAsync: true)
        let source = "#!lua flags=disable-atomicity\nredis.call('SET', KEYS[1], 'a') redis.call('APPEND', KEYS[1], 'b') return redis.call('GET', KEYS[1])"
        expect(store, ["EVAL", source, "1", "k"], .bulk("ab"))
    }

    /// A blocked BLPOP wakes when a queued push lands.
    @Test func blockingPopsWakeOnQueuedPushes() async throws {
        let store = Self.store(autoAsync: true)
        async let popped = store.blpop(["q"], timeout: .seconds(5))
        try await Task.sleep(for: .milliseconds(50))
        expect(store, ["EVAL", "for i = 1, 100 do redis.call('RPUSH', KEYS[1], i) redis.call('SET', KEYS[2], i) end return 1", "2", "q", "s"], .integer(1))
        let result = try await popped
        #expect(result?.element == "1")
    }
}
