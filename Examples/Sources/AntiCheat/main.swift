// The anti-cheat example of Dragonfly's Lua scripting post: 20 game-room leaderboards
// spread over every shard, and one atomic script that finds the users in the top 10 of at
// least half of them.
import Foundation
import LuaStore

let scriptURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scripts/anticheat.lua")
let source = try String(contentsOf: scriptURL, encoding: .utf8)

let store = LuaStore()
var rng = SystemRandomNumberGenerator()
let rooms: [ByteString] = (0..<20).map { "room:\($0):leaderboard" }
for room in rooms {
    for player in 0..<1_000 {
        // Players 0-2 cheat: they score far above everyone in every room.
        let score = player < 3 ? 1_000_000 + player : Int.random(in: 0..<100_000, using: &rng)
        _ = store.execute(["ZADD", room, ByteString(score), "player:\(player)"])
    }
}
let script = try store.scriptLoad(ByteString(source))
let found = try store.eval(script, keys: rooms + ["suspects"], as: Int.self)
print("suspects found: \(found)")
print("suspects set:", store.execute(["SMEMBERS", "suspects"]).arrayValue?.compactMap(\.stringValue).sorted() ?? [])
