import LuaStore
import Testing

@Suite struct PubSubTests {
    /// The next `n` messages of `subscription`.
    static func next(_ n: Int, of subscription: LuaStore.Subscription) async -> [PubSubMessage] {
        var received: [PubSubMessage] = []
        for await message in subscription {
            received.append(message)
            if received.count == n { break }
        }
        return received
    }

    @Test func channelSubscribersReceiveInPublishingOrder() async {
        let store = LuaStore()
        let subscription = store.subscribe(["news"])
        #expect(store.publish("news", "one") == 1)
        #expect(store.publish("other", "ignored") == 0)
        #expect(store.publish("news", "two") == 1)
        let received = await Self.next(2, of: subscription)
        #expect(received == [
            PubSubMessage(channel: "news", pattern: nil, payload: "one"),
            PubSubMessage(channel: "news", pattern: nil, payload: "two"),
        ])
    }

    @Test func patternSubscriptionsSayWhichPatternMatched() async {
        let store = LuaStore()
        let subscription = store.subscribe([], patterns: ["room:*", "room:1?"])
        #expect(store.publish("room:12", "hi") == 2)            // both patterns match
        #expect(store.publish("lobby", "no") == 0)
        let received = await Self.next(2, of: subscription)
        #expect(Set(received.compactMap(\.pattern)) == ["room:*", "room:1?"])
        #expect(received.allSatisfy { $0.channel == "room:12" && $0.payload == "hi" })
    }

    @Test func publishCountsReceiversAsRedisDoes() {
        let store = LuaStore()
        let a = store.subscribe(["c"], patterns: ["*"])          // counts twice
        let b = store.subscribe(["c"])
        #expect(store.publish("c", "m") == 3)
        #expect(store.execute(["PUBSUB", "NUMSUB", "c", "d"]) == .array([.bulk("c"), .integer(2), .bulk("d"), .integer(0)]))
        #expect(store.execute(["PUBSUB", "NUMPAT"]) == .integer(1))
        #expect(store.execute(["PUBSUB", "CHANNELS", "c*"]) == .array([.bulk("c")]))
        a.cancel()
        #expect(store.publish("c", "m") == 1)
        b.unsubscribe(["c"])
        #expect(store.publish("c", "m") == 0)
        #expect(store.execute(["PUBSUB", "CHANNELS"]) == .array([]))
        #expect(store.execute(["PUBSUB", "NUMPAT"]) == .integer(0))
    }

    /// Shard channels are a namespace of their own: SPUBLISH reaches only SSUBSCRIBE's
    /// subscribers (no patterns), and PUBLISH never reaches them.
    @Test func shardChannelsAreTheirOwnNamespace() async {
        let store = LuaStore()
        let shard = store.subscribe(shardChannels: ["orders"])
        let plain = store.subscribe(["orders"], patterns: ["*"])
        #expect(store.spublish("orders", "s1") == 1)
        #expect(store.execute(["SPUBLISH", "orders", "s2"]) == .integer(1))
        #expect(store.publish("orders", "p") == 2)                 // plain channel and pattern
        #expect(store.execute(["EVAL", "return redis.call('SPUBLISH', 'orders', 's3')", "0"]) == .integer(1))
        let received = await Self.next(3, of: shard)
        #expect(received == ["s1", "s2", "s3"].map { PubSubMessage(channel: "orders", pattern: nil, payload: $0, sharded: true) })
        #expect(store.execute(["PUBSUB", "SHARDCHANNELS"]) == .array([.bulk("orders")]))
        #expect(store.execute(["PUBSUB", "SHARDCHANNELS", "x*"]) == .array([]))
        #expect(store.execute(["PUBSUB", "SHARDNUMSUB", "orders", "none"]) == .array([.bulk("orders"), .integer(1), .bulk("none"), .integer(0)]))
        #expect(store.execute(["PUBSUB", "NUMSUB", "orders"]) == .array([.bulk("orders"), .integer(1)]))
        shard.unsubscribe(shardChannels: ["orders"])
        #expect(store.spublish("orders", "gone") == 0)
        plain.subscribe(shardChannels: ["orders"])
        plain.unsubscribe(["orders"], patterns: nil)                  // leaves the shard channel
        #expect(store.spublish("orders", "again") == 1)
        plain.cancel()
        #expect(store.execute(["PUBSUB", "SHARDCHANNELS"]) == .array([]))
    }

    @Test func executeAndScriptsPublishToSubscribers() async {
        let store = LuaStore()
        let subscription = store.subscribe(["events"])
        #expect(store.execute(["PUBLISH", "events", "from execute"]) == .integer(1))
        #expect(store.execute(["EVAL", "return redis.call('PUBLISH', 'events', ARGV[1])", "0", "from lua"]) == .integer(1))
        let received = await Self.next(2, of: subscription)
        #expect(received.map(\.payload) == ["from execute", "from lua"])
    }

    @Test func aDroppedSubscriptionUnsubscribes() {
        let store = LuaStore()
        do {
            let subscription = store.subscribe(["gone"], patterns: ["g*"])
            #expect(store.publish("gone", "x") == 2)
            _ = subscription
        }
        #expect(store.publish("gone", "x") == 0)
        #expect(store.execute(["PUBSUB", "NUMPAT"]) == .integer(0))
    }

    @Test func aBoundedBufferKeepsTheNewestMessages() async {
        let store = LuaStore()
        let subscription = store.subscribe(["burst"], bufferingPolicy: .bufferingNewest(2))
        for i in 0..<5 { store.publish("burst", ByteString(i)) }
        subscription.cancel()
        var received: [ByteString] = []
        for await message in subscription { received.append(message.payload) }
        #expect(received == ["3", "4"])
    }

    @Test func iterationEndsWhenTheSubscriptionIsCancelledFromAnotherTask() async {
        let store = LuaStore()
        let subscription = store.subscribe(["quiet"])
        async let count: Int = {
            var n = 0
            for await _ in subscription { n += 1 }
            return n
        }()
        store.publish("quiet", "only")
        subscription.cancel()
        #expect(await count <= 1)
        #expect(store.publish("quiet", "after") == 0)
    }

    @Test func subscribingIsRefusedInsideScripts() {
        let store = LuaStore()
        guard case .error(let line) = store.execute(["EVAL", "return redis.call('SUBSCRIBE', 'x')", "0"]) else {
            Issue.record("SUBSCRIBE in a script must fail")
            return
        }
        #expect(line.hasPrefix("ERR "))
    }
}
