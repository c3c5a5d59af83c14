import Foundation
import Testing
@testable import LuaStore

/// The scripts shipped in Examples/Scripts, run against the store (the rate limiter and
/// the leaderboard are tested in Examples/ itself: `cd Examples && swift test`).
@Suite struct ExampleScriptTests {
    static func source(_ name: String) throws -> ByteString {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/Scripts/\(name)")
        return ByteString(try Data(contentsOf: url))
    }

    @Test func antiCheatAcrossShards() throws {
        let store = LuaStore(configuration: .init(shardCount: 8))
        let rooms = (0..<6).map { ByteString("room:\($0)") }
        var model: [[(score: Int, member: String)]] = []
        for (r, room) in rooms.enumerated() {
            model.append([])
            for p in 0..<30 {
                // "cheater" is top of every room; "half" tops rooms 0-2 only; others are random.
                let score: Int
                switch p {
                case 0: score = 10_000
                case 1: score = r < 3 ? 9_000 : 0
                default: score = (p * 37 + r * 11) % 500
                }
                let member = p == 0 ? "cheater" : p == 1 ? "half" : "p\(p)"
                _ = store.execute([ByteString("ZADD"), room, ByteString(String(score)), ByteString(member)])
                model[r].append((score, member))
            }
        }
        // The naive answer: ZREVRANGE order is score descending, then member descending.
        var counts: [String: Int] = [:]
        for room in model {
            let top = room.sorted { $0.score != $1.score ? $0.score > $1.score : $0.member > $1.member }.prefix(10)
            for entry in top { counts[entry.member, default: 0] += 1 }
        }
        let expected = Set(counts.filter { $0.value * 2 >= rooms.count }.keys)
        let script = try store.scriptLoad(try Self.source("anticheat.lua"))
        _ = try store.eval(script, keys: rooms + ["suspects"])
        let members = Set(store.execute(["SMEMBERS", "suspects"]).arrayValue?.compactMap(\.stringValue) ?? [])
        #expect(members.contains("cheater"))
        #expect(members.contains("half"))
        #expect(members == expected)
    }
}
