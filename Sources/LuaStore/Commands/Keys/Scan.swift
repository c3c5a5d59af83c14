import LuaStoreCore

/// SCAN over the sharded keyspace.
///
/// The cursor packs the shard index into bits 40...47 and a tag cursor within that shard
/// (see ``KeyTable/scan(from:count:_:)``) into bits 0...32. Shards are visited in order;
/// within a shard each step returns the keys whose tags lie in a range that starts where
/// the last step ended, so a key present for the whole iteration is returned at least
/// once whatever the table does in between, and each call costs O(COUNT).
extension KeyspaceAccess {
    struct ScanPage {
        var cursor: UInt64
        var keys: [ByteString]
    }

    static let scanShardShift: UInt64 = 40

    func scan(cursor: UInt64, count: Int, pattern: ByteString?, type: String?) -> ScanPage {
        var shardIndex = Int(cursor >> KeyspaceAccess.scanShardShift)
        var tagCursor = cursor & ((1 << KeyspaceAccess.scanShardShift) - 1)
        var keys: [ByteString] = []
        // Like Redis, COUNT bounds the keys visited, before MATCH and TYPE filter them.
        var visited = 0
        guard shardIndex < shards.count else { return ScanPage(cursor: 0, keys: []) }
        while shardIndex < shards.count {
            let shard = shards[shardIndex]
            tagCursor = shard.withState { s in
                let now = clock.nowMilliseconds()
                return s.table.scan(from: tagCursor, count: max(1, count - visited)) { slot in
                    let e = s.table[slot]
                    visited += 1
                    if e.hasExpire, let d = s.deadline(slot: slot), d <= now { return }
                    let key = e.key.byteString
                    if let pattern, !GlobPattern.matches(pattern, key) { return }
                    if let type, e.value.typeName != type { return }
                    keys.append(key)
                }
            }
            if tagCursor >= KeyTable.scanEnd {
                shardIndex += 1
                tagCursor = 0
            }
            if visited >= count { break }
        }
        if shardIndex >= shards.count { return ScanPage(cursor: 0, keys: keys) }
        return ScanPage(cursor: UInt64(shardIndex) << KeyspaceAccess.scanShardShift | tagCursor, keys: keys)
    }
}
