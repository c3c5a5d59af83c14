#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import LuaStore
import LuaStoreCore

/// Large frees hand memory back to the system (a trim, off the caller's thread).
@Suite struct MemoryReleaseTests {
    /// Waits (bounded) until a trim after `before` has completed.
    static func trimRuns(after before: Int) -> Bool {
        for _ in 0..<500 where MemoryRelease.trims <= before { usleep(10_000) }
        return MemoryRelease.trims > before
    }

    @Test func flushOfAManyKeyShardTrims() throws {
        let store = LuaStore(configuration: .init(shardCount: 1))
        for i in 0..<(MemoryRelease.threshold + 10) { try store.set(ByteString("k:\(i)"), "v") }
        let before = MemoryRelease.trims
        _ = store.execute(["FLUSHALL"])
        #expect(Self.trimRuns(after: before))
    }

    @Test func deletingMostKeysOfALargeTableTrims() throws {
        let store = LuaStore(configuration: .init(shardCount: 1))
        let n = MemoryRelease.threshold * 2
        for i in 0..<n { try store.set(ByteString("k:\(i)"), "v") }
        let before = MemoryRelease.trims
        for i in 0..<(n - 100) { _ = try store.del([ByteString("k:\(i)")]) }
        #expect(Self.trimRuns(after: before))
        #expect(store.dbsize() == 100)
    }
}
