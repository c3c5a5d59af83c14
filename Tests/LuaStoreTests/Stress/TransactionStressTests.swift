import Dispatch
import Synchronization
import Testing
@testable import LuaStore
import LuaStoreCore

/// MULTI/EXEC and WATCH racing atomic scripts and plain writers on shared keys. Run under
/// `swift test --sanitize=thread` too (`make test-tsan`).
@Suite struct TransactionStressTests {
    /// Keys `a` and `b` only ever change together: by EXEC of INCR a; INCR b, by an atomic
    /// script doing the same, and by a WATCH a b / GET / MULTI / SET / SET / EXEC loop.
    /// Readers (EXEC of GET a; GET b, and MGET) never see them apart, and no increment is
    /// lost, which a WATCH that missed a change would cause. `c` races plain INCR against
    /// a WATCH loop the same way.
    @Test func execIsAtomicAndWatchMissesNoChange() throws {
        let store = LuaStore(configuration: .init(shardCount: 16))
        let rounds = 400
        let torn = Atomic<Int>(0)
        let pairIncrements = Atomic<Int>(0)
        let cIncrements = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            let session = store.session()
            for i in 0..<rounds {
                switch t {
                case 0:
                    session.execute(["MULTI"])
                    session.execute(["INCR", "a"])
                    session.execute(["INCR", "b"])
                    if case .array(let replies) = session.execute(["EXEC"]), case .integer = replies[0] {
                        pairIncrements.add(1, ordering: .relaxed)
                    }
                case 1:
                    _ = store.execute(["EVAL", "redis.call('INCR', KEYS[1]) return redis.call('INCR', KEYS[2])", "2", "a", "b"])
                    pairIncrements.add(1, ordering: .relaxed)
                case 2:
                    let pairs = i % 2 == 0
                    while true {
                        let keys: [ByteString] = pairs ? ["a", "b"] : ["c"]
                        session.execute(["WATCH"] + keys)
                        let current = keys.map { Self.integer(session.execute(["GET", $0])) }
                        session.execute(["MULTI"])
                        for (key, value) in zip(keys, current) {
                            session.execute(["SET", key, ByteString(String(value + 1))])
                        }
                        if case .array = session.execute(["EXEC"]) { break }
                    }
                    if pairs { pairIncrements.add(1, ordering: .relaxed) } else { cIncrements.add(1, ordering: .relaxed) }
                default:
                    session.execute(["MULTI"])
                    session.execute(["GET", "a"])
                    session.execute(["GET", "b"])
                    if case .array(let values) = session.execute(["EXEC"]), values[0] != values[1] {
                        torn.add(1, ordering: .relaxed)
                    }
                    if case .array(let values) = store.execute(["MGET", "a", "b"]), values[0] != values[1] {
                        torn.add(1, ordering: .relaxed)
                    }
                    _ = store.execute(["INCR", "c"])
                    cIncrements.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(torn.load(ordering: .relaxed) == 0)
        let pairs = Int64(pairIncrements.load(ordering: .relaxed))
        #expect(store.execute(["GET", "a"]) == .bulk(ByteString(String(pairs))))
        #expect(store.execute(["GET", "b"]) == .bulk(ByteString(String(pairs))))
        #expect(store.execute(["GET", "c"]) == .bulk(ByteString(String(cIncrements.load(ordering: .relaxed)))))
    }

    /// The typed optimistic `watch` racing plain INCR on the same key loses no update.
    @Test func typedWatchLosesNoUpdate() throws {
        let store = LuaStore()
        let rounds = 500
        DispatchQueue.concurrentPerform(iterations: 3) { t in
            for _ in 0..<rounds {
                if t == 0 {
                    _ = store.execute(["INCR", "n"])
                } else {
                    try? store.watch(["n"]) { tx in
                        let value = try tx.get("n")?.int64Value ?? 0
                        try tx.commit { locked in try locked.set("n", ByteString(String(value + 1))) }
                    }
                }
            }
        }
        #expect(store.execute(["GET", "n"]) == .bulk(ByteString(String(3 * rounds))))
    }

    static func integer(_ reply: Reply) -> Int64 {
        if case .bulk(let bytes) = reply { return bytes.int64Value ?? 0 }
        return 0
    }
}
