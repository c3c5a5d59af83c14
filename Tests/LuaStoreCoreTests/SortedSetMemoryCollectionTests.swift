#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LuaStoreCore

/// The memory target of the indexed sorted set: 100 sets x 10,000 members `user:<n>` with
/// random integer scores must cost at most 60 bytes a member of process memory (redis-server
/// 7 spends ~123). Measured as the growth of the resident set (/proc/self/statm), which
/// counts malloc's rounding and fragmentation too (Swift's Glibc module does not import
/// mallinfo2), next to the types' own `memoryFootprint` estimate. Slow in debug builds, so
/// it runs only with `LUASTORE_MEMORY_REPORT=1`, meant for
/// `swift test -c release --filter SortedSetMemory` (alone, so other tests' freed pages do
/// not hide growth).
@Suite struct SortedSetMemoryCollectionTests {
    #if canImport(Glibc)
    static func residentBytes() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0
        var resident = 0
        _ = withUnsafeMutablePointer(to: &size) { s in
            withUnsafeMutablePointer(to: &resident) { r in
                withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
            }
        }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test(.enabled(if: getenv("LUASTORE_MEMORY_REPORT") != nil))
    func hundredSetsOfTenThousand() {
        let sets = 100
        let members = 10_000
        var rng = SeededGenerator(seed: 42)
        let rssBefore = Self.residentBytes()
        let clock = ContinuousClock()
        var values: [SortedSetValue] = []
        let elapsed = clock.measure {
            for _ in 0..<sets {
                let z = SortedSetValue()
                for n in 0..<members {
                    z.set(ByteString("user:\(n)"), score: Double(Int.random(in: 0..<1_000_000, using: &rng)))
                }
                values.append(z)
            }
        }
        let total = Double(sets * members)
        let rss = Double(Self.residentBytes() - rssBefore) / total
        let estimate = Double(values.reduce(0) { $0 + $1.memoryFootprint }) / total
        print("zset memory: RSS \(rss) B/member, memoryFootprint \(estimate) B/member; \(elapsed) for \(Int(total)) inserts")
        #expect(rss <= 60)
        values[0]._checkInvariants()
    }
    #endif

    /// Every sorted set allocates its tree's root leaf (about 1.1 KB), compact ones too:
    /// the estimate the shards account counts it, or 100k small sorted sets would be
    /// counted ~110 MB short of what they take.
    @Test func aCompactSetCountsTheRootLeafItAllocates() {
        let z = SortedSetValue()
        for n in 0..<10 { z.set(ByteString("m\(n)"), score: Double(n)) }
        #expect(z.isCompact)
        #expect(z.estimatedFootprint == z.memoryFootprint)
        #expect(z.estimatedFootprint > OrderTree.Node.storageBytes(leaf: true))
    }
}
