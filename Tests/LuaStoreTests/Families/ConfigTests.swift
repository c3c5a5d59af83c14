import Testing
@testable import LuaStore

/// CONFIG and the typed settings API: one set of settings, changed either way.
@Suite struct ConfigTests {
    @Test func configSetChangesTheTypedSettings() throws {
        let store = LuaStore()
        #expect(store.execute(["CONFIG", "SET", "maxmemory", "64mb", "maxmemory-policy", "allkeys-tinylfu"]) == .status("OK"))
        #expect(store.settings.maxMemory == 64 << 20)
        #expect(store.settings.evictionPolicy == .allKeysTinyLFU)
        #expect(store.core.settings.maxMemory.load(ordering: .relaxed) == 64 << 20)
    }

    @Test func theTypedAPIChangesWhatConfigGetShows() throws {
        let store = LuaStore(configuration: .init(settings: .init(maxMemory: 1000, evictionPolicy: .volatileTTL)))
        #expect(store.execute(["CONFIG", "GET", "maxmemory"]) == .array([.bulk("maxmemory"), .bulk("1000")]))
        try store.updateSettings { $0.lfuLogFactor = 3 }
        #expect(store.execute(["CONFIG", "GET", "lfu-log-factor"]) == .array([.bulk("lfu-log-factor"), .bulk("3")]))
        #expect(store.execute(["CONFIG", "GET", "maxmemory-policy"]) == .array([.bulk("maxmemory-policy"), .bulk("volatile-ttl")]))
    }

    /// A bad value anywhere in CONFIG SET or in an update changes nothing.
    @Test func aRefusedChangeChangesNothing() throws {
        let store = LuaStore()
        let reply = store.execute(["CONFIG", "SET", "maxmemory", "1mb", "maxmemory-samples", "0"])
        #expect(reply == .error("ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument must be between 1 and 2147483647 inclusive"))
        #expect(store.settings == LuaStore.Settings())
        #expect(throws: StoreError.configSetFailed(parameter: "lfu-decay-time", reason: "argument must be between 0 and 2147483647 inclusive")) {
            try store.updateSettings { $0.maxMemory = 5; $0.lfuDecayTime = -1 }
        }
        #expect(store.settings == LuaStore.Settings())
    }

    /// An unknown policy lists every valid one, LuaStore's own last.
    @Test func unknownPolicyListsTheValidOnes() {
        let store = LuaStore()
        #expect(store.execute(["CONFIG", "SET", "maxmemory-policy", "lru"]) == .error(
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction, allkeys-tinylfu"))
    }

    /// `lua-time-limit` (`busy-reply-threshold`) is the script time limit: a later run
    /// that passes it is stopped.
    @Test func luaTimeLimitStopsLaterRuns() throws {
        let store = LuaStore()
        #expect(store.execute(["CONFIG", "SET", "lua-time-limit", "50"]) == .status("OK"))
        #expect(store.core.scripts.currentTimeLimit == .milliseconds(50))
        let reply = store.execute(["EVAL", "while true do end", "0"])
        #expect(reply.errorMessage?.hasPrefix("ERR Script exceeded the configured time limit") == true, "\(reply)")
        #expect(store.execute(["CONFIG", "SET", "lua-time-limit", "0"]) == .status("OK"))
        #expect(store.core.scripts.currentTimeLimit == nil)
        #expect(store.execute(["CONFIG", "GET", "busy-reply-threshold"]) == .array([.bulk("busy-reply-threshold"), .bulk("0")]))
    }

    @Test func memoryValuesParseAsRedisDoes() {
        #expect(MemoryAmount.parse("100mb") == 100 << 20)
        #expect(MemoryAmount.parse("2GB") == 2 << 30)
        #expect(MemoryAmount.parse("10k") == 10_000)
        #expect(MemoryAmount.parse("") == 0)
        #expect(MemoryAmount.parse("99999999999999999999") == .max)
        #expect(MemoryAmount.parse("100000000000gb") == 15_140_462_031_452_241_920)
        for bad: ByteString in ["abc", "1.5mb", "-1", "+5", " 5", "0x10", "1e3", "5 mb", "5tb"] {
            #expect(MemoryAmount.parse(bad) == nil, "\(bad)")
        }
    }
}
