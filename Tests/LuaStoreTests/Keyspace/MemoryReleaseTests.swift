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
        for i in 0..<(MemoryRelease.largeTable + 10) { try store.set(ByteString("k:\(i)"), "v") }
        let before = MemoryRelease.trims
        _ = store.execute(["FLUSHALL"])
        #expect(Self.trimRuns(after: before))
    }

    @Test func deletingMostKeysOfALargeTableTrims() throws {
        let store = LuaStore(configuration: .init(shardCount: 1))
        let n = MemoryRelease.largeTable * 2
        for i in 0..<n { try store.set(ByteString("k:\(i)"), "v") }
        let before = MemoryRelease.trims
        for i in 0..<(n - 100) { _ = try store.del([ByteString("k:\(i)")]) }
        #expect(Self.trimRuns(after: before))
        #expect(store.dbsize() == 100)
    }
}

import CPUHints

/// The trim itself reaches glibc: freed small blocks go back to the system.
@Suite struct HeapTrimTests {
    @Test func trimGivesFreedBlocksBack() {
        #if canImport(Glibc)
        var blocks: [ByteString] = []
        for i in 0..<300_000 { blocks.append(ByteString("a value long enough for the heap \(i)")) }
        blocks = []
        #expect(luastore_release_free_memory() == 1)
        #endif
    }
}
