import LuaStoreCore
import Testing
@testable import LuaStore
import TestSupport

/// The keyspace's ordered linear-probing table (``KeyTable``) against a plain dictionary,
/// and the two things its moving slots could break: SCAN's guarantee and TTLs.
@Suite struct KeyTableTests {
    /// Random inserts, removals and lookups through growth and shrinking; the table's
    /// invariants (tag order, no gap before an entry, last position empty, count) hold
    /// after every step, and every key maps to its value.
    @Test(arguments: [UInt64(1), 7, 99])
    func matchesADictionaryModel(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var table = KeyTable()
        var model: [ByteString: Int64] = [:]
        // Some keys share their low 32 hash bits' tag, exercising runs of equal tags.
        func key(_ n: Int) -> ByteString { ByteString("key:\(n)") }
        func checkAll() {
            table._checkInvariants()
            #expect(table.count == model.count)
            for (k, v) in model {
                guard let slot = table.find(k, hash: k.storeHash) else { Issue.record("lost \(k)"); return }
                guard case .integer(let stored) = table[slot].value, stored == v else { Issue.record("wrong value for \(k)"); return }
            }
        }
        for step in 0..<30_000 {
            // Phases: grow to ~6k keys, shrink to ~200, grow again.
            let phase = step / 10_000
            let insertBias = phase == 1 ? 30 : 70
            let k = key(rng.below(phase == 1 ? 8_000 : 12_000))
            let h = k.storeHash
            if rng.chance(insertBias) {
                if let slot = table.find(k, hash: h) {
                    table[slot].value = .integer(Int64(step))
                } else {
                    table.insert(k, hash: h, value: .integer(Int64(step)))
                }
                model[k] = Int64(step)
            } else if let slot = table.find(k, hash: h) {
                let removed = table.remove(slot: slot)
                #expect(removed.key.byteString == k)
                model[k] = nil
            } else {
                #expect(model[k] == nil)
            }
            if step % 997 == 0 { checkAll() }
        }
        checkAll()
    }

    /// A table that grows past 2 MiB of entries moves to a directly mapped, 2 MiB-aligned
    /// block (``HugePages``) and keeps every key; shrinking back below and clearing free
    /// those blocks (a wrong unmap would crash or lose keys here).
    @Test func bigTablesMoveToAlignedMappedBlocksAndBack() {
        var table = KeyTable()
        let keys = (0..<60_000).map { ByteString("big:\($0)") }
        for (i, k) in keys.enumerated() { table.insert(k, hash: k.storeHash, value: .integer(Int64(i))) }
        table._checkInvariants()
        #expect(table.positions * MemoryLayout<KeyTable.Entry>.stride >= HugePages.size)
        #if os(Linux)
        #expect(table._storage.isMapped)
        #expect(Int(bitPattern: table._storage.base) % HugePages.size == 0)
        #endif
        for (i, k) in keys.enumerated() where i % 7 == 0 {
            guard let slot = table.find(k, hash: k.storeHash), case .integer(let v) = table[slot].value else {
                Issue.record("lost \(k)"); return
            }
            #expect(v == Int64(i))
        }
        for k in keys.dropFirst(1_000) { table.remove(slot: table.find(k, hash: k.storeHash)!) }
        table._checkInvariants()
        #expect(!table._storage.isMapped)
        #expect(table.count == 1_000)
        #expect(keys.prefix(1_000).allSatisfy { table.find($0, hash: $0.storeHash) != nil })
        table.removeAll()
        #expect(table.count == 0 && table.find(keys[0], hash: keys[0].storeHash) == nil)
    }

    /// The table publishes where it lies whenever it moves (created, grown, shrunk,
    /// cleared), so the lock-free prefetch in `withKey` aims at the live table.
    @Test func tableHintFollowsEveryRebuild() {
        let hint = UnsafeMutablePointer<TableHint>.allocate(capacity: 1)
        hint.initialize(to: TableHint())
        defer { hint.deinitialize(count: 1); hint.deallocate() }
        var table = KeyTable(hint: UnsafePointer(hint))
        func expectPublished() {
            let published = hint.pointee._published
            #expect(published.base == UInt(bitPattern: table._storage.base))
            #expect(published.capacity == table.capacity)
        }
        expectPublished()
        let keys = (0..<5_000).map { ByteString("hint:\($0)") }
        for k in keys { table.insert(k, hash: k.storeHash, value: .integer(1)) }
        expectPublished()
        for k in keys.dropFirst(100) { table.remove(slot: table.find(k, hash: k.storeHash)!) }
        expectPublished()
        table.removeAll()
        expectPublished()
    }

    /// Small blocks come from the allocator, 64-byte aligned; big ones are mapped on Linux,
    /// 2 MiB-aligned, and every byte of them is writable.
    @Test func hugePageBlocksAreAlignedAndWritable() {
        let small = HugePages.allocate(bytes: 4_000)
        #expect(!small.mapped && Int(bitPattern: small.pointer) % 64 == 0)
        HugePages.deallocate(small)
        let bytes = 3 * HugePages.size + 12_345
        let big = HugePages.allocate(bytes: bytes)
        #if os(Linux)
        #expect(big.mapped && Int(bitPattern: big.pointer) % HugePages.size == 0)
        #endif
        big.pointer.initializeMemory(as: UInt8.self, repeating: 0xA5, count: bytes)
        #expect(big.pointer.load(fromByteOffset: bytes - 1, as: UInt8.self) == 0xA5)
        HugePages.deallocate(big)
    }

    /// Keys whose tags collide (same low 32 bits of the store hash would be rare, so the
    /// tag is forced through the hash argument): lookups compare keys within the run.
    @Test func equalTagsAreToldApartByKey() {
        var table = KeyTable()
        let keys = (0..<200).map { ByteString("same-tag-\($0)") }
        for (i, k) in keys.enumerated() { table.insert(k, hash: 0xABCD_0000_1234_5678, value: .integer(Int64(i))) }
        table._checkInvariants()
        for (i, k) in keys.enumerated() {
            let slot = table.find(k, hash: 0xABCD_0000_1234_5678)
            #expect(slot.map { table[$0].key.byteString } == k)
            if let slot, case .integer(let v) = table[slot].value { #expect(v == Int64(i)) }
        }
        for k in keys.prefix(150) { table.remove(slot: table.find(k, hash: 0xABCD_0000_1234_5678)!) }
        table._checkInvariants()
        #expect(table.count == 50)
        #expect(keys.dropFirst(150).allSatisfy { table.find($0, hash: 0xABCD_0000_1234_5678) != nil })
    }

    /// SCAN over the keyspace: 1,000 keys present throughout are all returned although,
    /// between calls, other keys come and go, and bulk adds and removals grow and shrink
    /// every shard's table (which moves every slot).
    @Test(arguments: [UInt64(3), 11])
    func scanKeepsItsGuaranteeWhileTablesResize(seed: UInt64) {
        let store = LuaStore(configuration: .init(shardCount: 4))
        var rng = SplitMix64(seed: seed)
        let stable = (0..<1000).map { "s:\($0)" }
        var volatile: [String] = []
        var everPresent = Set(stable)
        var next = 0
        for k in stable { _ = store.execute(["SET", k, "v"]) }
        func add(_ n: Int) {
            for _ in 0..<n {
                let k = "v:\(next)"
                next += 1
                volatile.append(k)
                everPresent.insert(k)
                _ = store.execute(["SET", k, "v"])
            }
        }
        func remove(_ n: Int) {
            for _ in 0..<min(n, volatile.count) {
                let i = rng.below(volatile.count)
                _ = store.execute(["DEL", volatile[i]])
                volatile.swapAt(i, volatile.count - 1)
                volatile.removeLast()
            }
        }
        add(2000)
        var seen = Set<String>()
        var cursor = "0"
        var calls = 0
        repeat {
            guard case .array(let page) = store.execute(["SCAN", cursor, "COUNT", String(rng.int(1...25))]),
                  case .bulk(let nextCursor) = page[0], case .array(let keys) = page[1] else {
                Issue.record("SCAN reply")
                return
            }
            seen.formUnion(keys.compactMap(\.stringValue))
            cursor = String(decoding: nextCursor.bytes, as: UTF8.self)
            calls += 1
            switch calls {
            case 20: add(8000)
            case 60: remove(volatile.count)
            case 100: add(4000)
            default: if rng.chance(50) { add(rng.int(0...5)) } else { remove(rng.int(0...5)) }
            }
        } while cursor != "0" && calls < 100_000
        #expect(cursor == "0")
        let missed = Set(stable).subtracting(seen)
        #expect(missed.isEmpty, "missed \(missed.count) stable keys")
        #expect(seen.isSubset(of: everPresent))
    }

    /// Without changes, a full SCAN returns every key exactly once.
    @Test func scanWithoutChangesReturnsEachKeyOnce() {
        let store = LuaStore(configuration: .init(shardCount: 8))
        for i in 0..<5000 { _ = store.execute(["SET", "k\(i)", "v"]) }
        var all: [String] = []
        var cursor = "0"
        repeat {
            guard case .array(let page) = store.execute(["SCAN", cursor, "COUNT", "37"]),
                  case .bulk(let nextCursor) = page[0], case .array(let keys) = page[1] else {
                Issue.record("SCAN reply")
                return
            }
            all += keys.compactMap(\.stringValue)
            cursor = String(decoding: nextCursor.bytes, as: UTF8.self)
        } while cursor != "0"
        #expect(all.count == 5000)
        #expect(Set(all).count == 5000)
    }

    /// Deadlines follow their keys while inserts and deletes move slots around them.
    @Test func deadlinesFollowKeysAcrossMoves() throws {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(shardCount: 2, clock: clock))
        var rng = SplitMix64(seed: 5)
        var model: [String: Int] = [:]    // key -> TTL in seconds
        for step in 0..<6000 {
            let k = "t:\(rng.below(1500))"
            switch rng.below(3) {
            case 0:
                let ttl = 100 + rng.below(10_000)
                _ = store.execute(["SET", k, "v", "EX", String(ttl)])
                model[k] = ttl
            case 1:
                _ = store.execute(["SET", k, "v"])
                model[k] = -1
            default:
                _ = store.execute(["DEL", k])
                model[k] = nil
            }
            if step % 500 == 0 {
                for (key, ttl) in model { expect(store, ["TTL", key], .integer(Int64(ttl))) }
                // The deadline index holds exactly the live keys with a TTL (no leftovers).
                let indexed = store.core.keyspace.shards.reduce(0) { n, shard in n + shard.withState { $0.expires.count } }
                #expect(indexed == model.values.filter { $0 != -1 }.count)
            }
        }
        for (key, ttl) in model { expect(store, ["TTL", key], .integer(Int64(ttl))) }
        // Expire the keys with TTLs under 5,000 s: exactly those go.
        clock.advance(by: .seconds(5000))
        for (key, ttl) in model {
            expect(store, ["EXISTS", key], .integer(ttl == -1 || ttl > 5000 ? 1 : 0))
        }
        #expect(store.execute(["DBSIZE"]) == .integer(Int64(model.values.filter { $0 == -1 || $0 > 5000 }.count)))
    }
    /// A key's shard is the top bits of its hash, for every shard count (one shard: 0).
    @Test func shardIndexIsTheHashsTopBits() {
        var rng = SplitMix64(seed: 7)
        for count in [1, 2, 16, 64, 1024] {
            let keyspace = LuaStore(configuration: .init(shardCount: count)).core.keyspace
            let bits = UInt64(count.trailingZeroBitCount)
            for _ in 0..<1_000 {
                let hash = rng.next()
                let expected = bits == 0 ? 0 : Int(hash >> (64 - bits))
                #expect(keyspace.shardIndex(hash) == expected)
            }
        }
    }
    /// A short key that arrives in shared storage (``ByteString/init(sharedStorage:)``)
    /// and the same bytes inline are one key: the table compares inline keys by their
    /// words, so it must store short keys inline whatever their source.
    @Test func shortKeysInSharedStorageAreTheSameKeyInline() throws {
        let store = LuaStore()
        for text in ["k1", "abcdefghijklmn", "abcdefghijklmno"] {
            let shared = Array(text.utf8).withUnsafeBytes { ByteString(sharedStorage: ByteString.makeStorage(copying: $0)) }
            try store.set(shared, "from shared")
            #expect(try store.get(ByteString(text)) == "from shared")
            try store.set(ByteString(text), "from inline")
            #expect(try store.get(shared) == "from inline")
        }
        #expect(store.dbsize() == 3)
        #expect(KeyBytes.hasPackedLayout)
    }
}
