import LuaStore
import Testing

/// Publishers race subscribers that come and go; a subscriber present throughout gets
/// every message exactly once, in each publisher's order. Run under Thread Sanitizer by
/// `make test-tsan`.
@Suite struct PubSubStressTests {
    @Test func publishersRaceSubscribersComingAndGoing() async {
        let store = LuaStore()
        let steady = store.subscribe(["race"], patterns: ["ra*"])
        let publishers = 4, perPublisher = 500
        await withTaskGroup(of: Void.self) { group in
            for p in 0..<publishers {
                group.addTask {
                    for i in 0..<perPublisher { store.publish("race", "\(p):\(i)") }
                }
            }
            group.addTask {
                for i in 0..<300 {
                    let passing = store.subscribe(["race"], patterns: i % 2 == 0 ? ["r*"] : [])
                    if i % 3 == 0 { passing.unsubscribe(["race"]) }
                    passing.cancel()
                }
            }
        }
        steady.cancel()
        var lastByPublisher: [Substring: Int] = [:]
        var byChannel = 0, byPattern = 0
        for await message in steady {
            let parts = message.payload.string.split(separator: ":")
            let (publisher, index) = (parts[0], Int(parts[1])!)
            if message.pattern == nil {
                byChannel += 1
                #expect(index > lastByPublisher[publisher, default: -1])
                lastByPublisher[publisher] = index
            } else {
                byPattern += 1
            }
        }
        #expect(byChannel == publishers * perPublisher)
        #expect(byPattern == publishers * perPublisher)
        #expect(store.execute(["PUBSUB", "NUMPAT"]) == .integer(0))
    }
}
