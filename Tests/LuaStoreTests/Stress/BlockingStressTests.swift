import Dispatch
import Testing
@testable import LuaStore

/// Pushes from threads against blocking pops in tasks (and plain pops stealing from
/// them): every element comes out exactly once. Run under `--sanitize=thread` too.
@Suite struct BlockingStressTests {
    @Test func pushesAndBlockingPopsLoseAndDuplicateNothing() async throws {
        let store = LuaStore(configuration: .init(shardCount: 4))
        let keys: [ByteString] = ["k0", "k1", "k2", "k3"]
        let producers = 4, perProducer = 1_500
        let total = producers * perProducer
        let consumed = Locked<[ByteString]>([])
        @Sendable func record(_ elements: [ByteString]) { consumed.withLock { $0.append(contentsOf: elements) } }
        @Sendable func done() -> Bool { consumed.withLock { $0.count } >= total }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for kind in 0..<6 {
                group.addTask {
                    while !done() {
                        switch kind {
                        case 0, 4:
                            if let r = try await store.blpop(keys, timeout: .milliseconds(20)) { record([r.element]) }
                        case 1:
                            if let r = try await store.brpop(keys.reversed(), timeout: .milliseconds(20)) { record([r.element]) }
                        case 2:
                            if let r = try await store.blmpop(keys, from: .left, count: 3, timeout: .milliseconds(20)) { record(r.elements) }
                        case 3:
                            // Moves put elements back into circulation: nothing is consumed.
                            _ = try await store.blmove("k3", "k0", from: .right, to: .left, timeout: .milliseconds(20))
                        default:
                            if let r = try await store.bzpopmin(["unused"], timeout: .milliseconds(1)) { record([r.member]) }
                            if let r = try await store.brpop(["k2"], timeout: .milliseconds(20)) { record([r.element]) }
                        }
                    }
                }
            }
            group.addTask {
                await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global().async {
                        DispatchQueue.concurrentPerform(iterations: producers) { t in
                            for i in 0..<perProducer {
                                let key = keys[(t + i) % keys.count]
                                let element = ByteString("p\(t):\(i)")
                                if i % 2 == 0 {
                                    _ = store.execute(["RPUSH", key, element])
                                } else {
                                    _ = try? store.lpush(key, [element])
                                }
                                // A plain pop now and then takes elements a woken waiter expected.
                                if i % 7 == 0, let stolen = try? store.rpop(keys[i % keys.count]) { record([stolen]) }
                            }
                        }
                        finished.resume()
                    }
                }
            }
            try await group.waitForAll()
        }

        let expected = (0..<producers).flatMap { t in (0..<perProducer).map { ByteString("p\(t):\($0)") } }
        let got = consumed.withLock { $0 }
        #expect(got.count == total)
        #expect(Set(got).count == got.count)
        #expect(Set(got) == Set(expected))
        for key in keys { #expect(try store.llen(key) == 0) }
        #expect(store.core.keyspace.readiness.waiterCount == 0)
    }
}
