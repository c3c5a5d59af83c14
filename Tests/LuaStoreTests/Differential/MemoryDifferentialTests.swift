import LuaStore
import Testing
import TestSupport

/// OBJECT FREQ / IDLETIME, MEMORY and INFO against a real redis-server: errors byte for
/// byte, counters where both stores define them alike, and INFO's layout (every field
/// LuaStore prints is one Redis prints in that section).
@Suite("OBJECT, MEMORY and INFO vs redis-server")
struct MemoryDifferentialTests {
    /// The sections of an INFO reply: title to field names.
    static func layout(_ reply: Reply) -> [String: Set<String>]? {
        let text: String
        switch reply {
        case .bulk(let bytes): text = bytes.string
        case .verbatim(_, let body): text = body
        default: return nil
        }
        var sections: [String: Set<String>] = [:]
        var current = ""
        for line in text.split(separator: "\r\n") {
            if line.hasPrefix("# ") {
                current = String(line.dropFirst(2))
                sections[current, default: []] = []
            } else if let colon = line.firstIndex(of: ":") {
                sections[current, default: []].insert(String(line[..<colon]))
            }
        }
        return sections
    }

    static func judge(_ argv: [ByteString], _ reference: Reply, _ subject: Reply) -> String? {
        let name = argv[0].asciiLowercased()
        if name == "info" {
            guard let theirs = layout(reference), let ours = layout(subject) else { return "not INFO text" }
            guard Set(ours.keys).isSubset(of: Set(theirs.keys)) else { return "sections differ" }
            for (title, fields) in ours where !fields.isSubset(of: theirs[title] ?? []) {
                return "fields Redis does not print: \(fields.subtracting(theirs[title] ?? []).sorted())"
            }
            return nil
        }
        if name == "memory", argv.count > 1, argv[1].asciiLowercased() == "usage" {
            // Byte counts differ by design; the kind of reply must not.
            switch (reference, subject) {
            case (.integer, .integer), (.null, .null): return nil
            default: return reference == subject ? nil : "replies differ"
            }
        }
        return reference == subject ? nil : "replies differ"
    }

    static let commands: [[ByteString]] = [
        ["SET", "k", "v"], ["OBJECT", "FREQ", "k"], ["OBJECT", "FREQ", "missing"],
        ["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"], ["SET", "f", "v"], ["OBJECT", "FREQ", "f"],
        ["OBJECT", "IDLETIME", "f"], ["OBJECT", "IDLETIME", "missing"],
        ["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"], ["SET", "i", "v"], ["OBJECT", "IDLETIME", "i"],
        ["OBJECT", "FREQ", "i"],
        ["MEMORY", "USAGE", "k"], ["MEMORY", "USAGE", "missing"], ["MEMORY", "USAGE", "k", "SAMPLES", "5"],
        ["MEMORY", "USAGE", "k", "SAMPLES", "x"], ["MEMORY", "USAGE", "k", "FOO"], ["MEMORY", "USAGE"],
        ["RPUSH", "list", "a", "b"], ["MEMORY", "USAGE", "list"], ["MEMORY", "FOO"],
        ["INFO", "memory"], ["INFO", "stats"], ["INFO", "keyspace"], ["INFO", "server"], ["INFO", "MEMORY", "stats"],
        ["INFO"], ["INFO", "nosuchsection"],
        ["CONFIG", "SET", "maxmemory-policy", "noeviction"],
    ]

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func sameShapesAsRedis(protocolVersion: RESPVersion) throws {
        try IntrospectionTests.compare(Self.commands, protocolVersion: protocolVersion, judge: Self.judge)
    }
}
