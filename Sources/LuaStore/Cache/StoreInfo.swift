import LuaStoreCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LuaStore {
    /// What `INFO` reports, typed: memory, statistics and the keyspace.
    ///
    /// # Thread safety
    /// A `Sendable` value: a snapshot, each shard read under its lock in turn.
    public struct Info: Sendable, Equatable {
        /// INFO's `memory` section.
        public struct Memory: Sendable, Equatable {
            /// `used_memory`: the bytes the keyspace accounts for (see Docs/Caching.md).
            public var used: Int
            /// `used_memory_peak`: the largest `used` any reading of it saw.
            public var peak: Int
            /// `used_memory_rss`: the process's resident set (0 where unknown).
            public var rss: Int
            /// `used_memory_lua`: the idle Lua states' heaps.
            public var lua: Int
            /// `maxmemory` (0: no bound).
            public var maxMemory: UInt64
            /// `maxmemory_policy`.
            public var policy: EvictionPolicy
        }

        /// INFO's `stats` section.
        public struct Stats: Sendable, Equatable {
            /// `expired_keys`: keys deleted because their deadline passed.
            public var expiredKeys: Int
            /// `evicted_keys`: keys evicted to stay within `maxmemory`.
            public var evictedKeys: Int
            /// `keyspace_hits` / `keyspace_misses`: reads that found their key or not,
            /// counted under the policies that record accesses.
            public var keyspaceHits: Int
            public var keyspaceMisses: Int
        }

        /// INFO's `keyspace` section (`db0`).
        public struct Keyspace: Sendable, Equatable {
            public var keys: Int
            /// Keys with a TTL.
            public var expires: Int
            /// The mean remaining TTL of the keys with one, in milliseconds (0 if none).
            public var averageTTL: Int64
        }

        public var memory: Memory
        public var stats: Stats
        public var keyspace: Keyspace
    }

    /// The store's memory, statistics and keyspace figures (Redis's `INFO`).
    /// - Complexity: O(S + E): every shard's lock in turn, and every key with a TTL (for
    ///   the mean TTL).
    public func info() -> Info { core.info() }

    /// The bytes `key` accounts for: its entry, key, value and deadline (Redis's `MEMORY
    /// USAGE`); nil if the key does not exist.
    public func memoryUsage(of key: ByteString) -> Int? { commandScope.keyspace.memoryUsage(key) }
}

extension StoreCore {
    func info() -> LuaStore.Info {
        let totals = keyspace.totals(summingTTLs: true)
        let peak = keyspace.peakMemory.max(totals.usedMemory, ordering: .relaxed).newValue
        let current = settings.current
        return LuaStore.Info(
            memory: .init(used: totals.usedMemory, peak: peak, rss: Self.residentBytes(), lua: scripts.luaMemory,
                          maxMemory: current.maxMemory, policy: current.evictionPolicy),
            stats: .init(expiredKeys: totals.expiredKeys, evictedKeys: totals.evictedKeys,
                         keyspaceHits: totals.keyspaceHits, keyspaceMisses: totals.keyspaceMisses),
            keyspace: .init(keys: totals.keys, expires: totals.keysWithDeadline,
                            averageTTL: totals.keysWithDeadline == 0 ? 0 : totals.remainingTTL / Int64(totals.keysWithDeadline)))
    }

    /// CONFIG RESETSTAT: zeroes the counters INFO's `stats` prints, and the peak.
    func resetStatistics() {
        for shard in keyspace.shards {
            shard.withState { s in
                s.expiredKeys = 0
                s.eviction.evictedKeys = 0
                s.keyspaceHits = 0
                s.keyspaceMisses = 0
            }
        }
        keyspace.peakMemory.store(0, ordering: .relaxed)
    }

    /// The process's resident set in bytes, from /proc/self/statm (0 elsewhere).
    static func residentBytes() -> Int {
        #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        // "size resident shared ...", in pages.
        let fields = buffer[0..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 0
        #endif
    }
}
