import Dispatch
import LuaStoreCore
import Testing
@testable import LuaStore

/// SORT with BY and GET patterns reads keys it finds only after reading its source, so it
/// locks them in a second step and starts again if the source changed in between. Run
/// under `swift test --sanitize=thread` too.
@Suite struct SortStressTests {
    /// Writers push to and pop from the source and rewrite the weights (each MSET keeps
    /// the weights a permutation of 0..<n) while sorters run SORT BY w_* GET # GET w_*:
    /// every answer pairs each element with the weight it was sorted by, so the weights
    /// a sort returns are strictly increasing and distinct.
    @Test func patternKeysAreReadAtomicallyWithTheSource() {
        let store = LuaStore()
        let n = 16
        _ = store.execute(["RPUSH", "src"] + (0..<n).map { ByteString(String($0)) })
        _ = store.execute(["MSET"] + (0..<n).flatMap { [ByteString("w_\($0)"), ByteString(String($0))] })
        let rounds = 400
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for round in 0..<rounds {
                if t < 2 {
                    let order = Array(0..<n).shuffled()
                    _ = store.execute(["MSET"] + (0..<n).flatMap { [ByteString("w_\($0)"), ByteString(String(order[$0]))] })
                    if round % 3 == 0 {
                        let popped = store.execute(["LPOP", "src"])
                        if case .bulk(let element) = popped { _ = store.execute(["RPUSH", "src", element]) }
                    }
                    continue
                }
                let reply = store.execute(["SORT", "src", "BY", "w_*", "GET", "#", "GET", "w_*"])
                guard case .array(let items) = reply else {
                    Issue.record("SORT answered \(reply)")
                    return
                }
                let weights = stride(from: 1, to: items.count, by: 2).compactMap { items[$0].byteStringValue.flatMap { Int($0.string) } }
                #expect(weights.count * 2 == items.count, "a weight was missing")
                #expect(zip(weights, weights.dropFirst()).allSatisfy { $0 < $1 }, "weights out of order: \(weights)")
            }
        }
    }
}
