// A token-bucket rate limiter in Lua, driven by a ManualClock: 5 tokens, 1 token a second.
import Foundation
import LuaStore

let scriptURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scripts/ratelimiter.lua")
let source = try String(contentsOf: scriptURL, encoding: .utf8)

let clock = ManualClock()
let store = LuaStore(configuration: .init(clock: clock))
let limiter = try store.scriptLoad(ByteString(source))

func request(_ label: String) throws {
    let parts = try store.eval(limiter, keys: ["bucket:alice"], args: [5, 1, 1], as: [Int].self)
    let allowed = parts.first == 1
    print("\(label): \(allowed ? "allowed" : "limited"), tokens left \(parts.last ?? -1)")
}

for i in 1...6 { try request("t=0s request \(i)") }
clock.advance(by: .seconds(2))
for i in 1...3 { try request("t=2s request \(i)") }
