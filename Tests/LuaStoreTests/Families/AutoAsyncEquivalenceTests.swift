import Testing
@testable import LuaStore
import LuaStoreCore
@testable import LuaStoreScripting

/// Random scripts give the same reply and the same keyspace with auto-async on and off,
/// when no call fails: statement calls (queued), calls whose value is used (synchronous,
/// flushing first), branches, loops, and strings and comments holding `redis.call(`.
@Suite struct AutoAsyncEquivalenceTests {
    /// A script generator over fixed key roles, so that no call fails on a wrong type.
    struct ScriptGenerator {
        var random: SplitMix64
        /// KEYS[1...2] counters, [3...4] lists, [5] a set, [6] a sorted set, [7] a hash.
        static let keyCount = 7

        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
        mutating func number(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

        /// A write whose value the script discards.
        mutating func write() -> String {
            let call = pick(["redis.call", "redis.pcall"])
            switch number(0...7) {
            case 0: return "\(call)('INCRBY', KEYS[\(number(1...2))], \(number(1...9)))"
            case 1: return "\(call)('RPUSH', KEYS[\(number(3...4))], 'v' .. \(number(0...99)))"
            case 2: return "\(call)('LPUSH', KEYS[\(number(3...4))], n)"
            case 3: return "\(call)('LTRIM', KEYS[\(number(3...4))], 0, \(number(3...12)))"
            case 4: return "\(call)('SADD', KEYS[5], 'm' .. \(number(0...20)))"
            case 5: return "\(call)('ZADD', KEYS[6], \(number(0...50)), 'z' .. \(number(0...20)))"
            case 6: return "\(call)('HINCRBY', KEYS[7], 'f' .. \(number(0...5)), \(number(1...3)))"
            default: return "\(call)('SREM', KEYS[5], 'm' .. \(number(0...20)))"
            }
        }

        /// A read whose value the script uses.
        mutating func read() -> String {
            switch number(0...4) {
            case 0: return "redis.call('GET', KEYS[\(number(1...2))])"
            case 1: return "redis.call('LLEN', KEYS[\(number(3...4))])"
            case 2: return "redis.call('SCARD', KEYS[5])"
            case 3: return "redis.call('ZCARD', KEYS[6])"
            default: return "redis.call('HGET', KEYS[7], 'f' .. \(number(0...5)))"
            }
        }

        mutating func statement(depth: Int) -> String {
            switch number(0...(depth > 1 ? 5 : 9)) {
            case 0, 1, 2: return write()
            case 3: return "acc[#acc + 1] = \(read())"
            case 4: return "n = n + 1 " + write()
            case 5: return pick([
                "local s = \"redis.call('DEL', KEYS[1])\"",
                "-- redis.call('DEL', KEYS[3])\n",
                "--[[ redis.call('DEL', KEYS[4])\nredis.call('DEL', KEYS[5]) ]]",
                "local t = [==[\nredis.call('DEL', KEYS[6])\n]==]",
                "acc[#acc + 1] = 'redis.call(' .. n",
            ])
            case 6: return "if n % \(number(2...3)) == 0 then \(block(depth: depth + 1)) else \(block(depth: depth + 1)) end"
            case 7: return "for i = 1, \(number(1...6)) do n = n + i \(block(depth: depth + 1)) end"
            case 8: return "if (\(read()) or 0) ~= false then \(write()) end"
            default: return "local c = 0 while c < \(number(1...3)) do c = c + 1; \(write()); end"
            }
        }

        mutating func block(depth: Int) -> String {
            (0..<number(1...4)).map { _ in statement(depth: depth) }.joined(separator: pick(["\n", " ", "; "]))
        }

        mutating func script() -> String {
            let body = (0..<number(3...25)).map { _ in statement(depth: 0) }.joined(separator: "\n")
            return "local acc = {}\nlocal n = 0\n\(body)\nacc[#acc + 1] = n\nreturn acc"
        }
    }

    @Test func randomScriptsGiveTheSameReplyAndKeyspace() {
        var generator = ScriptGenerator(random: SplitMix64(seed: 19))
        let keys = (1...ScriptGenerator.keyCount).map { "key\($0)" }
        let sync = AutoAsyncStoreTests.store(autoAsync: false)
        let async = AutoAsyncStoreTests.store(autoAsync: true)
        for round in 0..<300 {
            let source = generator.script()
            let expected = sync.execute(["EVAL", source, String(keys.count)] + keys)
            let actual = async.execute(["EVAL", source, String(keys.count)] + keys)
            #expect(expected.errorMessage == nil, "round \(round): \(source)")
            #expect(actual == expected, "round \(round): \(source)")
            if round % 20 == 0 {
                #expect(AutoAsyncStoreTests.snapshot(async) == AutoAsyncStoreTests.snapshot(sync), "round \(round)")
            }
        }
        #expect(AutoAsyncStoreTests.snapshot(async) == AutoAsyncStoreTests.snapshot(sync))
    }

    /// The generator's statement calls are rewritten: the check above compares queued
    /// calls with synchronous ones, not synchronous ones twice.
    @Test func generatedScriptsQueueCalls() {
        var generator = ScriptGenerator(random: SplitMix64(seed: 19))
        var rewritten = 0
        for _ in 0..<50 {
            let source = Array(generator.script().utf8)
            rewritten += AutoAsync.rewritePositions(source).count
        }
        #expect(rewritten > 200)
    }
}
