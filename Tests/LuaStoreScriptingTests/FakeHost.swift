import LuaStoreCore
import Synchronization
@testable import LuaStoreScripting

/// A tiny dictionary-backed store: GET, SET, INCR, DEL, LPUSH, LRANGE, HSET, HGETALL, PING,
/// ZSCORE-like DOUBLE, and ECHO-style helpers for RESP3 shapes. Queues async calls in order.
final class FakeHost: ScriptHost, @unchecked Sendable {  // used by one run (one thread) at a time
    enum Value { case string(ByteString), list([ByteString]), hash([(ByteString, ByteString)]) }
    var data: [ByteString: Value] = [:]
    /// Every executed command (upper-cased name + args), in execution order.
    var log: [[String]] = []
    var queue: [([ByteString], raise: Bool)] = []
    var enqueued = 0
    var flushes = 0

    func call(_ argv: [ByteString]) -> Reply {
        let name = argv[0].string.uppercased()
        log.append([name] + argv.dropFirst().map(\.string))
        switch name {
        case "PING": return .status("PONG")
        case "GET":
            guard argv.count == 2 else { return ScriptErrors.wrongArity }
            switch data[argv[1]] {
            case .none: return .null
            case .string(let s)?: return .bulk(s)
            default: return StoreError.wrongType.reply
            }
        case "SET":
            guard argv.count >= 3 else { return ScriptErrors.wrongArity }
            if argv.count > 3 { return StoreError.syntax.reply }
            data[argv[1]] = .string(argv[2])
            return .ok
        case "DEL":
            var n: Int64 = 0
            for k in argv.dropFirst() where data.removeValue(forKey: k) != nil { n += 1 }
            return .integer(n)
        case "INCR":
            guard argv.count == 2 else { return ScriptErrors.wrongArity }
            var current: Int64 = 0
            switch data[argv[1]] {
            case .none: break
            case .string(let s)?:
                guard let v = Int64(s.string) else { return StoreError.notInteger.reply }
                current = v
            default: return StoreError.wrongType.reply
            }
            current += 1
            data[argv[1]] = .string(ByteString(current))
            return .integer(current)
        case "LPUSH":
            guard argv.count >= 3 else { return ScriptErrors.wrongArity }
            var list: [ByteString] = []
            switch data[argv[1]] {
            case .none: break
            case .list(let l)?: list = l
            default: return StoreError.wrongType.reply
            }
            for v in argv.dropFirst(2) { list.insert(v, at: 0) }
            data[argv[1]] = .list(list)
            return .integer(Int64(list.count))
        case "LRANGE":
            guard case .list(let l)? = data[argv[1]] else { return .array([]) }
            return .array(l.map { .bulk($0) })
        case "HSET":
            var h: [(ByteString, ByteString)] = []
            if case .hash(let old)? = data[argv[1]] { h = old }
            var i = 2
            while i + 1 < argv.count { h.append((argv[i], argv[i + 1])); i += 2 }
            data[argv[1]] = .hash(h)
            return .integer(Int64((argv.count - 2) / 2))
        case "HGETALL":
            guard case .hash(let h)? = data[argv[1]] else { return .map([]) }
            return .map(h.map { Reply.MapEntry(key: .bulk($0.0), value: .bulk($0.1)) })
        case "ZSCORE": return .double(1.5)
        case "SMEMBERS": return .set([.bulk("x")])
        case "TRUE": return .boolean(true)
        case "BIG": return .bigNumber("123456789012345678901234567890")
        case "VERB": return .verbatim(format: "txt", text: "hi")
        default: return ScriptErrors.unknownCommand
        }
    }

    func enqueue(_ argv: [ByteString]) -> Reply? { enqueue(argv, raising: true) }

    func enqueue(_ argv: [ByteString], raising: Bool) -> Reply? {
        enqueued += 1
        queue.append((Array(argv), raise: raising))
        log.append(["QUEUED", argv[0].string.uppercased()] + argv.dropFirst().map(\.string))
        return nil
    }

    func flush() -> Reply? {
        flushes += 1
        var firstError: Reply?
        for (argv, raise) in queue {
            let reply = call(argv)
            if raise, firstError == nil, case .error = reply { firstError = reply }
        }
        queue.removeAll()
        return firstError
    }
}

extension ScriptEngine {
    /// EVAL with string keys/args, for tests.
    func eval(_ source: String, keys: [String] = [], args: [String] = [], host: FakeHost = FakeHost()) -> Reply {
        let k: [ByteString] = keys.map { ByteString($0) }
        let a: [ByteString] = args.map { ByteString($0) }
        return eval(ByteString(source), keys: k, args: a, host: host as any ScriptHost, cancellation: nil)
    }
}

/// The SHA1 of a source, for expected error texts.
func sha(_ source: String) -> String { SHA1.hex(Array(source.utf8)) }

/// One engine shared by tests that need no special configuration.
let sharedEngine = ScriptEngine(configuration: .init(timeLimit: .seconds(10)))
