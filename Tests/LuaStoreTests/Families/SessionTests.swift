import Dispatch
import Synchronization
import Testing
@testable import LuaStore
import LuaStoreCore

/// Sessions: what only an in-process store can show (expiry by its clock, eviction, the
/// typed optimistic `watch`, the no-session answer); the replies themselves are compared
/// with redis-server in TransactionDifferentialTests.
@Suite struct SessionTests {
    static let transactionCommands: [[ByteString]] = [["MULTI"], ["EXEC"], ["DISCARD"], ["WATCH", "k"], ["UNWATCH"], ["HELLO", "3"]]

    @Test func storeExecuteRefusesSessionCommands() {
        let store = LuaStore()
        for argv in Self.transactionCommands {
            let name = argv[0].string
            #expect(store.execute(argv) == StoreError.needsSession(command: name).reply)
        }
        // Scripts cannot run them either (noscript, as Redis).
        let fromScript = store.execute(["EVAL", "return redis.call('WATCH', 'k')", "0"])
        guard case .error(let line) = fromScript else { Issue.record("\(fromScript)"); return }
        #expect(line.hasPrefix("ERR This Redis command is not allowed from script"))
    }

    @Test func expiryOfAWatchedKeyAbortsExec() {
        let clock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        store.execute(["SET", "w", "1", "PX", "100"])
        let session = store.session()
        session.execute(["WATCH", "w"])
        clock.advance(by: .milliseconds(200))
        session.execute(["MULTI"])
        session.execute(["PING"])
        #expect(session.execute(["EXEC"]) == .nullArray)
        // Deleted by a lookup before the EXEC: still a change.
        store.execute(["SET", "w", "1", "PX", "100"])
        session.execute(["WATCH", "w"])
        clock.advance(by: .milliseconds(200))
        #expect(store.execute(["GET", "w"]) == .null)
        session.execute(["MULTI"])
        #expect(session.execute(["EXEC"]) == .nullArray)
        // Already expired when watched: its expiry is no change.
        store.execute(["SET", "w", "1", "PX", "100"])
        clock.advance(by: .milliseconds(200))
        session.execute(["WATCH", "w"])
        session.execute(["MULTI"])
        #expect(session.execute(["EXEC"]) == .array([]))
    }

    @Test func evictionOfAWatchedKeyAbortsExec() throws {
        let store = LuaStore(configuration: .init(shardCount: 1, settings: .init(evictionPolicy: .allKeysRandom)))
        store.execute(["SET", "w", "1"])
        let session = store.session()
        session.execute(["WATCH", "w"])
        try store.updateSettings { $0.maxMemory = 1 }
        store.execute(["SET", "other", "x"])
        #expect(store.execute(["EXISTS", "w"]) == .integer(0))
        session.execute(["MULTI"])
        #expect(session.execute(["EXEC"]) == .nullArray)
    }

    @Test func unchangedWatchedKeysLetExecRun() {
        let store = LuaStore()
        let session = store.session()
        store.execute(["SET", "w", "1"])
        session.execute(["WATCH", "w", "missing"])
        store.execute(["GET", "w"])
        store.execute(["DEL", "missing"])
        store.execute(["LPUSH", "w", "x"])      // fails: changes nothing
        store.execute(["SET", "x", "1"])
        session.execute(["MULTI"])
        session.execute(["INCR", "w"])
        #expect(session.execute(["EXEC"]) == .array([.integer(2)]))
    }

    @Test func sessionsEndTheirWatches() {
        let store = LuaStore(configuration: .init(shardCount: 1))
        do {
            let session = store.session()
            session.execute(["WATCH", "a", "b"])
        }
        let empty = store.core.keyspace.shards[0].withState { s in s.watches.isEmpty && !s.isWatching }
        #expect(empty)
    }

    @Test func typedWatchRetriesUntilItsKeysStayUnchanged() throws {
        let store = LuaStore()
        try store.set("balance", "100")
        var attempts = 0
        let result = try store.watch(["balance"]) { tx in
            attempts += 1
            let balance = try tx.get("balance")?.int64Value ?? 0
            if attempts == 1 { try store.set("balance", "50") }   // someone else wrote meanwhile
            return try tx.commit { locked in
                try locked.set("balance", ByteString(String(balance - 10)))
                return balance - 10
            }
        }
        #expect(attempts == 2)
        #expect(result == 40)
        #expect(try store.get("balance") == "40")
    }

    @Test func typedWatchRetriesEvenWhenTheBodyCatchesTheConflict() throws {
        let store = LuaStore()
        var attempts = 0
        try store.watch(["k"]) { tx in
            attempts += 1
            if attempts == 1 { try store.set("k", "x") }
            _ = try? tx.commit { locked in try locked.set("k", "mine") }
        }
        #expect(attempts == 2)
        #expect(try store.get("k") == "mine")
    }

    @Test func typedWatchCommitRefusesUndeclaredKeys() throws {
        let store = LuaStore()
        try store.watch(["k"]) { tx in
            #expect(throws: StoreError.undeclaredKey(holder: "transaction", key: "other")) {
                try tx.commit { locked in try locked.set("other", "1") }
            }
            try tx.commit(keys: ["other"]) { locked in try locked.set("other", "1") }
        }
        #expect(try store.get("other") == "1")
    }
}
