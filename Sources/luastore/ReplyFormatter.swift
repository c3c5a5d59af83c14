import LuaStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders a ``Reply`` byte for byte as `redis-cli` 7 prints it (`cliFormatReplyTTY` and
/// `cliFormatReplyRaw` in Redis's `redis-cli.c`).
///
/// Two modes, as in redis-cli:
/// - ``Mode/human`` (`--no-raw`, the default on a terminal): `(integer) 1`, `"quoted"`,
///   `(nil)`, `(error) ERR ...`, numbered and indented aggregates.
/// - ``Mode/raw`` (`--raw`, the default when stdout is not a terminal): the bare bytes, one
///   element per line, errors followed by an empty line.
///
/// RESP3 kinds print as redis-cli 7 prints them: `(double) 3.14`, `(true)`, `1# key => value`
/// for maps, `1~ x` for sets. One exception: redis-cli 7.0 has no case for big numbers
/// (it prints `Unknown reply type: 13` and exits); we print them as redis-cli 7.2 does,
/// `(big number) 123...`.
///
/// # Thread safety
/// Stateless: safe from any thread.
enum ReplyFormatter {
    enum Mode: Sendable {
        case human
        case raw
    }

    /// The bytes redis-cli writes for one reply of a command, trailing newline included.
    ///
    /// `verbatim` is redis-cli's `output_raw_strings`: for a few commands whose replies are
    /// reports (``printsVerbatim(_:)``) it prints the raw form with no trailing newline.
    static func format(_ reply: Reply, mode: Mode, verbatim: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        if verbatim {
            appendRaw(reply, to: &out)
        } else {
            switch mode {
            case .human:
                appendHuman(reply, prefix: [], to: &out)
            case .raw:
                appendRaw(reply, to: &out)
                out.append(newline)
            }
        }
        return out
    }

    /// Whether redis-cli prints this command's reply verbatim (the `output_raw` list in
    /// `cliSendCommand`): INFO, LOLWUT, CLIENT LIST, LATENCY DOCTOR and friends, whose
    /// replies are multi-line reports meant to be read as they are.
    static func printsVerbatim(_ argv: [[UInt8]]) -> Bool {
        guard let first = argv.first else { return false }
        let command = lowercased(first)
        let sub = argv.count >= 2 ? lowercased(argv[1]) : ""
        switch command {
        case "info", "lolwut": return true
        case "debug": return argv.count >= 2 && ["htstats", "htstats-key", "client-eviction"].contains(sub)
        case "memory": return argv.count >= 2 && ["malloc-stats", "doctor"].contains(sub)
        case "cluster": return argv.count == 2 && ["nodes", "info"].contains(sub)
        case "client": return argv.count >= 2 && ["list", "info"].contains(sub)
        case "latency": return (argv.count == 3 && sub == "graph") || (argv.count == 2 && sub == "doctor")
        case "proxy": return argv.count >= 2 && sub == "info"
        default: return false
        }
    }

    // MARK: - Human form (cliFormatReplyTTY)

    private static let newline = UInt8(ascii: "\n")

    private static func appendHuman(_ reply: Reply, prefix: [UInt8], to out: inout [UInt8]) {
        switch reply {
        case .error(let message):
            // sdscatprintf("%s"): a C string, so the text stops at a NUL.
            out += Array("(error) ".utf8) + cString(message)
            out.append(newline)
        case .status(let text):
            out += cString(text)
            out.append(newline)
        case .integer(let value):
            out += Array("(integer) \(value)".utf8)
            out.append(newline)
        case .double(let value):
            out += Array("(double) ".utf8) + Array(doubleText(value).utf8)
            out.append(newline)
        case .bulk(let bytes):
            out += Array("\"\(bytes.escaped)\"".utf8)
            out.append(newline)
        case .verbatim(_, let text):
            out += Array(text.utf8)
            out.append(newline)
        case .null, .nullArray:
            out += Array("(nil)\n".utf8)
        case .boolean(let value):
            out += Array((value ? "(true)\n" : "(false)\n").utf8)
        case .bigNumber(let digits):
            out += Array("(big number) \(digits)\n".utf8)
        case .array(let elements):
            appendHumanAggregate(elements, separator: ")", empty: "(empty array)\n", isMap: false, prefix: prefix, to: &out)
        case .set(let elements):
            appendHumanAggregate(elements, separator: "~", empty: "(empty set)\n", isMap: false, prefix: prefix, to: &out)
        case .map(let entries):
            let flat = entries.flatMap { [$0.key, $0.value] }
            appendHumanAggregate(flat, separator: "#", empty: "(empty hash)\n", isMap: true, prefix: prefix, to: &out)
        }
    }

    /// Arrays, sets and maps: `1) a` then `prefix 2) b`, the index right-aligned to the width
    /// of the largest one, nested elements indented by that width plus two.
    private static func appendHumanAggregate(
        _ elements: [Reply], separator: Character, empty: String, isMap: Bool,
        prefix: [UInt8], to out: inout [UInt8]
    ) {
        if elements.isEmpty {
            out += Array(empty.utf8)
            return
        }
        let count = isMap ? elements.count / 2 : elements.count
        let width = String(count).count
        let nestedPrefix = prefix + Array(repeating: UInt8(ascii: " "), count: width + 2)
        var i = 0
        while i < elements.count {
            let index = String(isMap ? i / 2 + 1 : i + 1)
            // The first element follows the parent's own index on the same line.
            if i != 0 { out += prefix }
            out += Array((String(repeating: " ", count: width - index.count) + index + "\(separator) ").utf8)
            appendHuman(elements[i], prefix: nestedPrefix, to: &out)
            if isMap {
                i += 1
                out.removeLast()  // the key's newline
                out += Array(" => ".utf8)
                if isMultiline(elements[i]) {
                    out.append(newline)
                    out += nestedPrefix
                }
                appendHuman(elements[i], prefix: nestedPrefix, to: &out)
            }
            i += 1
        }
    }

    /// `cliIsMultilineValueTTY`: whether a map value needs its own line to stay aligned.
    private static func isMultiline(_ reply: Reply) -> Bool {
        switch reply {
        case .array(let elements), .set(let elements):
            if elements.count > 1 { return true }
            return elements.first.map(isMultiline) ?? false
        case .map(let entries):
            if entries.count > 1 { return true }
            return entries.first.map { isMultiline($0.value) } ?? false
        default:
            return false
        }
    }

    // MARK: - Raw form (cliFormatReplyRaw)

    private static func appendRaw(_ reply: Reply, to out: inout [UInt8]) {
        switch reply {
        case .null, .nullArray:
            break
        case .error(let message):
            out += Array(message.utf8)
            out.append(newline)
        case .status(let text):
            out += Array(text.utf8)
        case .bulk(let bytes):
            out += bytes.bytes
        case .verbatim(_, let text):
            out += Array(text.utf8)
        case .boolean(let value):
            out += Array((value ? "(true)" : "(false)").utf8)
        case .integer(let value):
            out += Array(String(value).utf8)
        case .double(let value):
            out += Array(doubleText(value).utf8)
        case .bigNumber(let digits):
            out += Array(digits.utf8)
        case .array(let elements), .set(let elements):
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(newline) }
                appendRaw(element, to: &out)
            }
        case .map(let entries):
            for (i, entry) in entries.enumerated() {
                if i > 0 { out.append(newline) }
                appendRaw(entry.key, to: &out)
                out.append(UInt8(ascii: " "))
                appendRaw(entry.value, to: &out)
            }
        }
    }

    // MARK: - Helpers

    /// The text redis-server sends for a RESP3 double (`addReplyDouble`): `%.17g`, and
    /// `inf` / `-inf` spelled out.
    static func doubleText(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.17g", $0) }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func cString(_ text: String) -> [UInt8] {
        Array(text.utf8.prefix { $0 != 0 })
    }

    /// ASCII-only lowercasing, as `strcasecmp` compares.
    private static func lowercased(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.map { (0x41...0x5a).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
