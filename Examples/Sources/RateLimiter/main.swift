// A token-bucket rate limiter (GameLogic's `RateLimiter`), driven by a ManualClock:
// 5 tokens, 1 token a second.
import GameLogic
import LuaStore

let clock = ManualClock()
let store = LuaStore(configuration: .init(clock: clock))
let limiter = try RateLimiter(store: store, capacity: 5, refillPerSecond: 1)

func request(_ label: String) throws {
    let decision = try limiter.attempt(client: "alice")
    print("\(label): \(decision.allowed ? "allowed" : "limited"), tokens left \(decision.tokensLeft)")
}

for i in 1...6 { try request("t=0s request \(i)") }
clock.advance(by: .seconds(2))
for i in 1...3 { try request("t=2s request \(i)") }
