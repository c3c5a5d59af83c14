import LuaStoreCore

/// SCAN over the sharded keyspace.
///
/// The cursor packs the shard index into bits 40...47 and that shard's reverse-binary
/// bucket cursor (see ``KeyTable``) into bits 0...39. Shards are visited in order; within
/// a shard Redis's `dictScan` guarantee holds, so a key present for the whole iteration
/// is returned at least once, and each call costs O(COUNT) (empty buckets visited are
/// bounded by 10 x COUNT, as Redis bounds them).
extension Keyspace {
    struct ScanPage {
        var cursor: UInt64
        var keys: [ByteString]
    }

    static let scanShardShift: UInt64 = 40

    func scan(cursor: UInt64, count: Int, pattern: ByteString?, type: String?) -> ScanPage {
        var shardIndex = Int(cursor >> Keyspace.scanShardShift)
        var bucketCursor = cursor & ((1 << Keyspace.scanShardShift) - 1)
        var keys: [ByteString] = []
        // Like Redis, COUNT bounds the keys visited, before MATCH and TYPE filter them.
        var visited = 0
        guard shardIndex < shards.count else { return ScanPage(cursor: 0, keys: []) }
        var budget = max(1, count) * 10
        while shardIndex < shards.count {
            let shard = shards[shardIndex]
            let wrapped: Bool = shard.withState { s in
                let now = clock.nowMilliseconds()
                repeat {
                    for slot in s.table.slots(inBucket: Int(truncatingIfNeeded: bucketCursor)) {
                        let e = s.table[slot]
                        visited += 1
                        if e.hasExpire, let d = s.expires[UInt32(slot)], d <= now { continue }
                        let key = e.key.byteString
                        if let pattern, !GlobPattern.matches(pattern, key) { continue }
                        if let type, e.value.typeName != type { continue }
                        keys.append(key)
                    }
                    budget -= 1
                    bucketCursor = s.table.nextCursor(after: bucketCursor)
                } while bucketCursor != 0 && visited < count && budget > 0
                return bucketCursor == 0
            }
            if wrapped {
                shardIndex += 1
                bucketCursor = 0
            }
            if visited >= count || budget <= 0 { break }
        }
        if shardIndex >= shards.count { return ScanPage(cursor: 0, keys: keys) }
        return ScanPage(cursor: UInt64(shardIndex) << Keyspace.scanShardShift | bucketCursor, keys: keys)
    }
}
