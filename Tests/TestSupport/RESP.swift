import LuaStoreCore

/// RESP2 encoding of commands and replies, and a readable rendering of replies for
/// failure messages.
public enum RESP {
    /// A command as a RESP array of bulk strings, as redis-cli sends it.
    public static func encodeCommand(_ argv: [ByteString], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "*"))
        out.append(contentsOf: Array(String(argv.count).utf8))
        out.append(contentsOf: [13, 10])
        for arg in argv {
            out.append(UInt8(ascii: "$"))
            out.append(contentsOf: Array(String(arg.count).utf8))
            out.append(contentsOf: [13, 10])
            arg.withUnsafeBytes { out.append(contentsOf: $0) }
            out.append(contentsOf: [13, 10])
        }
    }

    /// The bytes redis-server would send for `reply` (RESP2 kinds; RESP3 kinds in RESP3 form).
    public static func encode(_ reply: Reply) -> [UInt8] {
        var out: [UInt8] = []
        encode(reply, into: &out)
        return out
    }

    public static func encode(_ reply: Reply, into out: inout [UInt8]) {
        func line(_ prefix: String, _ text: String) {
            out.append(contentsOf: Array((prefix + text).utf8))
            out.append(contentsOf: [13, 10])
        }
        switch reply {
        case .status(let s): line("+", s)
        case .error(let s): line("-", s)
        case .integer(let n): line(":", String(n))
        case .bulk(let b):
            line("$", String(b.count))
            b.withUnsafeBytes { out.append(contentsOf: $0) }
            out.append(contentsOf: [13, 10])
        case .null: line("$", "-1")
        case .nullArray: line("*", "-1")
        case .array(let items):
            line("*", String(items.count))
            for item in items { encode(item, into: &out) }
        case .map(let entries):
            line("%", String(entries.count))
            for entry in entries {
                encode(entry.key, into: &out)
                encode(entry.value, into: &out)
            }
        case .set(let items):
            line("~", String(items.count))
            for item in items { encode(item, into: &out) }
        case .double(let d): line(",", String(d))
        case .boolean(let b): line("#", b ? "t" : "f")
        case .bigNumber(let s): line("(", s)
        case .verbatim(let format, let text):
            let body = format + ":" + text
            line("=", String(body.utf8.count))
            line("", body)
        }
    }

    /// The wire bytes as an escaped one-line string (`+OK\r\n` -> `+OK\r\n` with visible escapes).
    public static func escapedWire(_ reply: Reply) -> String { ByteString(encode(reply)).escaped }
}

extension Reply {
    /// A compact redis-cli-like rendering: `"bytes"`, `(integer) 1`, `(error) ERR ...`,
    /// `(nil)`, `(nil array)`, `[a, b]`; long arrays are elided in the middle.
    public var diffDescription: String {
        switch self {
        case .status(let s): return "+" + ByteString(s).escaped
        case .error(let s): return "(error) " + ByteString(s).escaped
        case .integer(let n): return "(integer) \(n)"
        case .bulk(let b):
            guard b.count > 200 else { return b.debugDescription }
            return "\"" + b.slice(0..<200).escaped + "\"...(\(b.count) bytes)"
        case .null: return "(nil)"
        case .nullArray: return "(nil array)"
        case .array(let items): return Reply.render(items, open: "[", close: "]")
        case .set(let items): return Reply.render(items, open: "~{", close: "}")
        case .map(let entries):
            return "%{" + entries.map { "\($0.key.diffDescription): \($0.value.diffDescription)" }
                .joined(separator: ", ") + "}"
        case .double(let d): return "(double) \(d)"
        case .boolean(let b): return "(boolean) \(b)"
        case .bigNumber(let s): return "(big number) " + s
        case .verbatim(let format, let text): return "(verbatim \(format)) " + text
        }
    }

    private static func render(_ items: [Reply], open: String, close: String) -> String {
        let limit = 40
        if items.count <= limit {
            return open + items.map(\.diffDescription).joined(separator: ", ") + close
        }
        let head = items.prefix(limit / 2).map(\.diffDescription)
        let tail = items.suffix(limit / 4).map(\.diffDescription)
        return open + (head + ["... \(items.count - head.count - tail.count) more ..."] + tail)
            .joined(separator: ", ") + close + " (\(items.count) elements)"
    }
}

/// An argv as redis-cli would show it: each argument quoted and escaped (long arguments
/// and long argument lists shortened).
public func describeArgv(_ argv: [ByteString]) -> String {
    let shown = argv.prefix(24).map { arg -> String in
        let text = arg.count > 80 ? arg.slice(0..<80).escaped + "...(\(arg.count) bytes)" : arg.escaped
        return "\"" + text + "\""
    }.joined(separator: " ")
    return argv.count > 24 ? shown + " ... (\(argv.count - 24) more arguments)" : shown
}
