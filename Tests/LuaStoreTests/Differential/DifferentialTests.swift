import Foundation
import LuaStore
import Testing
import TestSupport

/// LuaStore against a real redis-server 7: seeded random command sequences per family,
/// every reply compared (see `DifferentialRunner`). One test per family, so the families
/// that exist pass while later ones are still being written.
///
/// Reproduce a failure from its message: the seed and step identify the command, and the
/// message lists the commands before it.
@Suite("Differential: LuaStore vs redis-server")
struct DifferentialTests {
    /// Eight fixed seeds (16,000 commands per family); `LUASTORE_DIFF_SEEDS=n` runs `n` seeds
    /// instead, for a longer soak that is still deterministic (seed i is 0x5EED_0000 + i).
    static let seeds: [UInt64] = {
        let count = ProcessInfo.processInfo.environment["LUASTORE_DIFF_SEEDS"].flatMap { Int($0) } ?? 8
        return (1...max(1, count)).map { 0x5EED_0000 + UInt64($0) }
    }()
    static let stepsPerSeed = 2_000

    @Test("strings: GET SET ... SETRANGE")
    func strings() throws {
        try compareWithRedis(.strings)
    }

    @Test("keys: DEL ... SCAN RANDOMKEY, on string keys")
    func keys() throws {
        try compareWithRedis(.keys)
    }

    @Test("lists: LPUSH ... LMPOP and the blocking forms")
    func lists() throws {
        try compareWithRedis(.lists)
    }

    @Test("sets: SADD ... SSCAN")
    func sets() throws {
        try compareWithRedis(.sets)
    }

    @Test("sorted sets: ZADD ... ZSCAN")
    func sortedSets() throws {
        try compareWithRedis(.sortedSets)
    }

    @Test("hashes: HSET ... HSCAN")
    func hashes() throws {
        try compareWithRedis(.hashes)
    }

    @Test("bitmaps: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO, with GET of the bytes")
    func bitmaps() throws {
        try compareWithRedis(.bitmaps)
    }

    @Test("hyperloglog: PFADD PFCOUNT PFMERGE, with GET of the bytes")
    func hyperLogLog() throws {
        try compareWithRedis(.hyperLogLog)
    }

    @Test("sort: SORT SORT_RO with BY GET LIMIT ASC DESC ALPHA STORE on lists, sets and sorted sets")
    func sort() throws {
        try compareWithRedis(.sort)
    }

    @Test("lcs: LCS with LEN IDX MINMATCHLEN WITHMATCHLEN")
    func lcs() throws {
        try compareWithRedis(.lcs)
    }

    @Test("geo: GEOADD GEOPOS GEODIST GEOHASH at the poles' limits, the antimeridian and the equator")
    func geo() throws {
        try compareWithRedis(.geo)
    }

    @Test("geo search: GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and _RO around the poles, the antimeridian and the equator")
    func geoSearch() throws {
        try compareWithRedis(.geoSearch)
    }

    @Test("streams: XADD XLEN XRANGE XREVRANGE XDEL XTRIM XSETID XREAD")
    func streams() throws {
        try compareWithRedis(.streams)
    }

    @Test("stream groups: XGROUP XREADGROUP XACK XPENDING XCLAIM XAUTOCLAIM")
    func streamGroups() throws {
        try compareWithRedis(.streamGroups)
    }

    @Test("keys on every type: TYPE COPY RENAME SCAN TYPE EXPIRE over strings and collections")
    func keysOnEveryType() throws {
        try compareWithRedis(.keysOnEveryType)
    }

    @Test("order of checks: every command on every type with bad arguments")
    func orderOfChecks() throws {
        try compareWithRedis(.orderOfChecks)
    }

    /// Every family again over RESP3 (two seeds each): LuaStore's RESP3 replies must have
    /// redis-server's RESP3 shapes (doubles, maps, sets, nested pairs, one null) and the
    /// same contents.
    @Test("every family over RESP3", arguments: CommandFamily.allCases)
    func overRESP3(_ family: CommandFamily) throws {
        let mismatches = try RedisServer.with { server in
            let client = try server.connect()
            try client.hello(3)
            var runner = DifferentialRunner(family: family.rawValue + " (RESP3)", reference: client, subject: RESP3Store(store: LuaStore()))
            runner.protocolVersion = .resp3
            return try runner.run(seeds: Array(Self.seeds.prefix(2)), steps: Self.stepsPerSeed) { family.step(&$0) }
        }
        reportMismatches(mismatches)
    }

    private func compareWithRedis(_ family: CommandFamily) throws {
        let mismatches = try RedisServer.with { server in
            let runner = DifferentialRunner(family: family.rawValue, reference: try server.connect(), subject: LuaStore())
            return try runner.run(seeds: Self.seeds, steps: Self.stepsPerSeed) { family.step(&$0) }
        }
        reportMismatches(mismatches)
    }
}

/// Records the first two mismatches of each command as issues, then one issue counting
/// the rest, so one missing command does not hide the others.
func reportMismatches(_ mismatches: [Mismatch], perCommand: Int = 2) {
    var seen: [String: Int] = [:]
    var order: [String] = []
    for mismatch in mismatches {
        let name = mismatch.argv.first?.string.uppercased() ?? ""
        if seen[name] == nil { order.append(name) }
        seen[name, default: 0] += 1
        if seen[name]! <= perCommand { Issue.record(Comment(rawValue: mismatch.description)) }
    }
    let suppressed = order.filter { seen[$0]! > perCommand }.map { "\($0) \(seen[$0]! - perCommand)" }
    if !suppressed.isEmpty {
        Issue.record(Comment(rawValue: """
            \(mismatches.count) mismatches in all (at most 200 are collected); not shown: \
            \(suppressed.joined(separator: ", "))
            """))
    }
}
