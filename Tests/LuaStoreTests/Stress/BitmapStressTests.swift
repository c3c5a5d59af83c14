import Dispatch
import LuaStoreCore
import Testing
@testable import LuaStore

/// Bit and HyperLogLog writes change strings in place (``ByteString/withUniqueMutableBytes``)
/// while readers on the shared path copy them out. Run under `swift test --sanitize=thread`
/// too, where the writes always copy (Thread Sanitizer cannot see the reference count's
/// ordering), so it checks the locking around them.
@Suite struct BitmapStressTests {
    /// One writer grows a bitmap and fills a HyperLogLog in place while readers GET, GETBIT,
    /// BITCOUNT and PFCOUNT the same keys and keep the values they got: a value a reader
    /// holds never changes under it (the writer copies a buffer a reader still holds).
    @Test func inPlaceWritesNeverChangeAValueAReaderHolds() {
        let store = LuaStore()
        let writes = 2_000
        DispatchQueue.concurrentPerform(iterations: 3) { t in
            if t == 0 {
                for i in 0..<writes {
                    _ = store.execute(["SETBIT", "bits", ByteString(String(i * 3)), "1"])
                    _ = store.execute(["PFADD", "hll", ByteString("e\(i)")])
                }
                return
            }
            var held: [(ByteString, Int64)] = []
            for i in 0..<writes {
                if case .bulk(let bytes) = store.execute(["GET", "bits"]) {
                    // Every bit set so far is a multiple of 3, and all of them are set.
                    let count = bytes.withUnsafeBytes { b in b.reduce(0) { $0 + $1.nonzeroBitCount } }
                    if i % 100 == 0 { held.append((bytes, Int64(count))) }
                }
                _ = store.execute(["GETBIT", "bits", ByteString(String(i))])
                _ = store.execute(["BITCOUNT", "bits", "0", "-1", t == 1 ? "BIT" : "BYTE"])
                // A stale PFCOUNT recounts 16384 registers: slow under Thread Sanitizer.
                if i % 10 == 0 {
                    _ = store.execute(["PFCOUNT", "hll"])
                    _ = store.execute(["GET", "hll"])
                }
            }
            for (bytes, count) in held {
                let now = bytes.withUnsafeBytes { b in b.reduce(0) { $0 + $1.nonzeroBitCount } }
                #expect(Int64(now) == count, "a held bitmap changed after it was read")
            }
        }
        #expect(store.execute(["BITCOUNT", "bits"]) == .integer(Int64(writes)))
    }
}
