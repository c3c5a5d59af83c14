import LuaStore

/// The command a benchmark repeats, with redis-benchmark's placeholders:
/// - `__rand_int__` anywhere in an argument becomes a 12-digit zero-padded random number
///   below the keyspace size (`-r`), drawn afresh for each occurrence and each request, as
///   redis-benchmark does; without `-r` it stays literal, as there.
/// - `__sha__` (luastore's own) becomes the SHA1 that `--load` got from `SCRIPT LOAD`.
///
/// # Thread safety
/// An immutable value; each thread draws from its own ``SplitMix64``.
struct CommandTemplate: Sendable {
    static let randomPlaceholder = Array("__rand_int__".utf8)
    static let shaPlaceholder = Array("__sha__".utf8)

    /// The arguments, with `__sha__` already replaced.
    let arguments: [[UInt8]]
    /// The keyspace for `__rand_int__`; `nil` leaves the placeholder as it is.
    let keyspace: UInt64?
    /// Offsets of `__rand_int__` in each argument (empty when there is nothing to draw).
    private let randomOffsets: [[Int]]

    /// Fails with a message if `__sha__` is used without a SHA.
    init(arguments: [String], keyspace: UInt64?, sha: String?) throws(BenchmarkError) {
        var resolved: [[UInt8]] = []
        for argument in arguments {
            let bytes = Array(argument.utf8)
            let shaOffsets = Self.offsets(of: Self.shaPlaceholder, in: bytes)
            if shaOffsets.isEmpty {
                resolved.append(bytes)
            } else {
                guard let sha else { throw .usage("__sha__ needs --load FILE to know which script to call") }
                resolved.append(Self.replacing(Self.shaPlaceholder, with: Array(sha.utf8), in: bytes))
            }
        }
        self.arguments = resolved
        self.keyspace = keyspace
        randomOffsets = keyspace == nil
            ? resolved.map { _ in [] }
            : resolved.map { Self.offsets(of: Self.randomPlaceholder, in: $0) }
    }

    /// Whether every request is the same argv (no random draws).
    var isConstant: Bool { randomOffsets.allSatisfy(\.isEmpty) }

    /// One request's argv, drawing fresh numbers from `random`.
    func makeArgv(using random: inout SplitMix64) -> [ByteString] {
        var argv: [ByteString] = []
        argv.reserveCapacity(arguments.count)
        for (argument, offsets) in zip(arguments, randomOffsets) {
            if offsets.isEmpty {
                argv.append(ByteString(argument))
                continue
            }
            var bytes = argument
            for offset in offsets {
                // `-r 0` draws 0 every time, as redis-benchmark does.
                let value = keyspace! == 0 ? 0 : random.next() % keyspace!
                Self.writePadded(value, into: &bytes, at: offset)
            }
            argv.append(ByteString(bytes))
        }
        return argv
    }

    /// 12 digits, zero-padded; a number wider than that keeps its low 12 digits, as in
    /// redis-benchmark's `randomizeClientKey`.
    private static func writePadded(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        var v = value
        for i in stride(from: offset + 11, through: offset, by: -1) {
            bytes[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        }
    }

    private static func offsets(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        var found: [Int] = []
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) {
                found.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    private static func replacing(_ needle: [UInt8], with replacement: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var last = 0
        for offset in offsets(of: needle, in: haystack) {
            out += haystack[last..<offset] + replacement
            last = offset + needle.count
        }
        return out + haystack[last...]
    }
}

/// Why a benchmark cannot run, worded for the command line.
enum BenchmarkError: Error {
    case usage(String)
    case scriptLoad(String)
}
