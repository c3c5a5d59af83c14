import LuaStoreCore
import TestSupport

/// The command families of the differential suite, one generator file each.
enum CommandFamily: String, CaseIterable, Sendable {
    case strings
    case keys
    case lists
    case sets
    case sortedSets = "sorted sets"
    case hashes
    case bitmaps
    case hyperLogLog = "hyperloglog"
    case sort
    case lcs
    case geo
    case geoSearch = "geo search"
    case streams
    case streamGroups = "stream groups"
    case keysOnEveryType = "keys on every type"
    case orderOfChecks = "order of checks"

    /// The next random step of this family.
    func step(_ generator: inout CommandGenerator) -> DifferentialStep {
        switch self {
        case .strings: return generator.stringCommand()
        case .keys: return generator.keyCommand()
        case .lists: return generator.listCommand()
        case .sets: return generator.setCommand()
        case .sortedSets: return generator.sortedSetCommand()
        case .hashes: return generator.hashCommand()
        case .bitmaps: return generator.bitmapCommand()
        case .hyperLogLog: return generator.hyperLogLogCommand()
        case .sort: return generator.sortCommand()
        case .lcs: return generator.lcsCommand()
        case .geo: return generator.geoCommand()
        case .geoSearch: return generator.geoSearchCommand()
        case .streams: return generator.streamCommand()
        case .streamGroups: return generator.streamGroupCommand()
        case .keysOnEveryType: return generator.mixedTypeCommand()
        case .orderOfChecks: return generator.orderOfChecksCommand()
        }
    }
}

/// The random source and shared vocabulary of the differential generators: a small key
/// space (so commands collide on keys and types), tricky values, counts and times.
///
/// Everything derives from the seed, except absolute times (EXPIREAT, EXAT...), which are
/// offsets from the wall clock at the start of the seed, since both sides read that clock.
struct CommandGenerator {
    var rng: SplitMix64
    /// Unix time in milliseconds when the seed started.
    let nowMilliseconds: Int64

    init(seed: UInt64, nowMilliseconds: Int64) {
        rng = SplitMix64(seed: seed)
        self.nowMilliseconds = nowMilliseconds
    }

    // MARK: Vocabulary

    /// Eight keys: short, binary (NUL and 0xff) and longer than the 14-byte inline size.
    static let keys: [ByteString] = [
        "k0", "k1", "k2", "k3", "k4", "k5",
        ByteString([0x00, 0x62, 0x69, 0x6E, 0xFF]),
        "key:with-a-name-longer-than-14",
    ]

    static let values: [ByteString] = [
        "", "0", "1", "-1", "7", "10", "123", "-123", "007", "-0", " 1", "1 ", "+1",
        "3.14", "-2.5", "1e3", "0x10", "1.0", ".5", "inf", "-inf", "nan", "abc", "hello world",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "4611686018427387904", "18446744073709551615", "1.7976931348623157e308", "5e-324", "0.1",
        ByteString([0x00]), ByteString([0xFF, 0x00, 0xFE]), ByteString([0x61, 0x00, 0x62]),
        "fourteen-bytes", "fifteen-bytes!!", "sixteen-bytes!!!",
        ByteString(String(repeating: "x", count: 65)),
        ByteString(String(repeating: "ab", count: 100)),
        ByteString(String(repeating: "7", count: 21)),
    ]

    static let integers: [ByteString] = [
        "0", "1", "-1", "2", "5", "-5", "17", "100", "-100", "1000",
        "9223372036854775807", "-9223372036854775808", "9223372036854775806", "-9223372036854775807",
        "9223372036854775808", "4611686018427387904",
        "abc", "", "1.5", " 1", "1 ", "+1", "007", "1e3", "0x10",
    ]

    static let floats: [ByteString] = [
        "0", "1", "-1", "0.1", "1.5", "-2.25", "1e3", "1E-3", "10.50", "3.0e-2", "-0",
        "1e308", "-1e308", "1.7976931348623157e308", "5e-324", "123456789012345678",
        "inf", "-inf", "+inf", "nan", "abc", "", " 1", "1 ", "0x10", "1.5.5",
        "9223372036854775807", "0.30000000000000004",
    ]

    // MARK: Primitives

    mutating func chance(_ percent: Int) -> Bool { rng.chance(percent) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { rng.int(range) }
    mutating func pick<T>(_ choices: [T]) -> T { rng.pick(choices) }

    mutating func key() -> ByteString { pick(CommandGenerator.keys) }
    mutating func keys(_ range: ClosedRange<Int>) -> [ByteString] { (0..<int(range)).map { _ in key() } }
    /// A value: a third of the time a small integer (so INCR and friends mostly succeed).
    mutating func value() -> ByteString {
        chance(30) ? ByteString(String(int(-20...100))) : pick(CommandGenerator.values)
    }
    mutating func integer() -> ByteString { pick(CommandGenerator.integers) }
    mutating func float() -> ByteString { pick(CommandGenerator.floats) }

    /// A small integer as text, mostly valid, sometimes not.
    mutating func count(_ range: ClosedRange<Int>) -> ByteString {
        if chance(5) { return pick(["abc", "", "1.5", "-1", "9223372036854775807", "-9223372036854775808"]) }
        return ByteString(String(int(range)))
    }

    /// A list/range index: small, negative, or far out of range.
    mutating func index() -> ByteString {
        if chance(4) { return pick(["abc", "", "1.5", "9223372036854775807", "-9223372036854775808"]) }
        if chance(10) { return pick(["1000", "-1000", "200", "-200"]) }
        return ByteString(String(int(-12...12)))
    }

    /// The command name in a random letter case (Redis is case-insensitive).
    mutating func name(_ name: String) -> ByteString {
        switch rng.below(10) {
        case 0: return ByteString(name.lowercased())
        case 1:
            return ByteString(String(name.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.lowercased()) : $0.element }))
        default: return ByteString(name)
        }
    }

    // MARK: Times (chosen so that no key expires while a sequence runs)

    /// Relative seconds: large and spread out (two expirations never tie, so GT/LT answers
    /// do not depend on a millisecond), or zero/negative (delete now), or invalid.
    mutating func relativeSeconds() -> ByteString {
        switch rng.below(20) {
        case 0: return pick(["0", "-1", "-100"])
        case 1: return pick(["abc", "", "1.5", "9223372036854775807", "-9223372036854775808", "9223372036854775"])
        default: return ByteString(String(1_000 + rng.below(10_000_000)))
        }
    }

    mutating func relativeMilliseconds() -> ByteString {
        switch rng.below(20) {
        case 0: return pick(["0", "-1", "-100000"])
        case 1: return pick(["abc", "", "1.5", "9223372036854775807", "-9223372036854775808"])
        default: return ByteString(String(1_000_000 + rng.below(1_000_000_000)))
        }
    }

    mutating func absoluteSeconds() -> ByteString {
        switch rng.below(20) {
        case 0: return pick(["0", "1", "-1", ByteString(String(nowMilliseconds / 1000 - 100))])
        case 1: return pick(["abc", "", "9223372036854775807", "-9223372036854775808", "9223372036854775"])
        default: return ByteString(String(nowMilliseconds / 1000 + 1_000 + Int64(rng.below(10_000_000))))
        }
    }

    mutating func absoluteMilliseconds() -> ByteString {
        switch rng.below(20) {
        case 0: return pick(["0", "1", "-1", ByteString(String(nowMilliseconds - 100_000))])
        case 1: return pick(["abc", "", "9223372036854775807", "-9223372036854775808"])
        default: return ByteString(String(nowMilliseconds + 1_000_000 + Int64(rng.below(1_000_000_000))))
        }
    }

    // MARK: Building steps

    /// An exact-compare command whose arity is sometimes broken: the last argument dropped
    /// or a junk argument appended (wrong-arity and syntax-error paths).
    mutating func command(_ argv: [ByteString], _ judgement: Judgement = .exact) -> DifferentialStep {
        .command(DifferentialCommand(argv: mutateArity(argv), judgement: judgement))
    }

    mutating func mutateArity(_ argv: [ByteString]) -> [ByteString] {
        var argv = argv
        switch rng.below(100) {
        case 0..<3 where argv.count > 1: argv.removeLast()
        case 3..<5 where argv.last != "DB": argv.append(pick(["x", "1", "", "NX", "WITHSCORES", "COUNT"]))
        default: break
        }
        return argv
    }

    /// One of the options, or none.
    mutating func maybe(_ percent: Int, _ options: [[ByteString]]) -> [ByteString] {
        chance(percent) ? pick(options) : []
    }
}
