import Testing
@testable import LuaStore

@Suite struct TypedAPITests {
    let clock = ManualClock()
    let store: LuaStore
    init() { store = LuaStore(configuration: .init(clock: clock)) }

    @Test func stringsRoundTrip() throws {
        try store.set("a", "1")
        #expect(try store.get("a") == "1")
        #expect(try store.incr("a") == 2)
        #expect(try store.incrby("a", 40) == 42)
        #expect(try store.set("a", "x", condition: .ifAbsent) == false)
        #expect(try store.getset("a", "y") == "42")
        #expect(try store.append("a", "z") == 2)
        #expect(try store.getrange("a", 0, 0) == "y")
        #expect(try store.mget(["a", "nope"]) == ["yz", nil])
        #expect(try store.incrbyfloat("f", 0.5) == "0.5")
        #expect(try store.incrbyfloat("g", 0.1) == "0.1")
        #expect(try store.incrbyfloat("g", 0.2) == "0.3")
        #expect(throws: StoreError.notInteger) { try store.incr("a") }
        #expect(try store.getdel("a") == "yz")
        #expect(try store.exists("a") == 0)
    }

    @Test func typedAndArgvAgree() throws {
        try store.set("k", "v", ttl: .seconds(30))
        #expect(store.execute(["TTL", "k"]) == .integer(30))
        #expect(try store.ttl("k") == .milliseconds(30_000))
        clock.advance(by: .seconds(30))
        #expect(try store.get("k") == nil)
        #expect(try store.ttl("k") == .noKey)
    }

    @Test func keyOperations() throws {
        try store.set("s", "v")
        #expect(try store.expire("s", after: .seconds(5)))
        #expect(try store.persist("s"))
        #expect(try store.ttl("s") == .persistent)
        try store.rename("s", "t")
        #expect(try store.type("t") == "string")
        #expect(try store.copy("t", "u"))
        #expect(store.dbsize() == 2)
        #expect(Set(store.keys("*")) == ["t", "u"])
        #expect(try store.stick("t", "nope") == 1)
        #expect(try store.del("t", "u", "v") == 2)
        #expect(throws: StoreError.noSuchKey) { try store.rename("t", "w") }
    }

    @Test func expiryIsDeterministicWithManualClock() throws {
        for i in 0..<100 { try store.set(ByteString("k\(i)"), "v", ttl: .seconds(Int64(i + 1))) }
        clock.advance(by: .seconds(50))
        var alive = 0
        for i in 0..<100 where try store.get(ByteString("k\(i)")) != nil { alive += 1 }
        #expect(alive == 50)
        #expect(store.purgeExpired() == 0)   // reads already deleted the expired ones
        clock.advance(by: .seconds(100))
        #expect(store.purgeExpired() == 50)
        #expect(store.dbsize() == 0)
    }

    @Test func transactionDeclaredKeys() throws {
        try store.transaction(keys: ["a", "b"]) { tx in
            try tx.set("a", "1")
            #expect(tx.execute(["INCR", "b"]) == .integer(1))
            #expect(tx.execute(["GET", "c"]) == .error("ERR transaction tried accessing undeclared key, key: c"))
            #expect(throws: StoreError.self) { try tx.get("c") }
        }
        try store.transaction(keys: ["a"], readOnly: true) { tx in
            let value = try tx.get("a")
            #expect(value == "1")
            #expect(tx.execute(["SET", "a", "2"]) == .error("ERR Write commands are not allowed in a read-only transaction"))
            #expect(throws: StoreError.self) { try tx.set("a", "2") }
        }
        #expect(try store.get("a") == "1")
    }

    /// The store's concrete GET and SET (LuaStore+HotPaths.swift) and the protocol's
    /// versions, which generic code and transactions reach, answer the same.
    @Test func storeHotPathsMatchTheProtocolVersions() throws {
        func viaProtocol<C: KeyValueCommands>(_ c: C) -> (get: (ByteString) throws(StoreError) -> ByteString?,
                                                          set: (ByteString, ByteString, SetCondition, Expiration, Bool) throws(StoreError) -> Bool) {
            ({ key throws(StoreError) in try c.get(key) },
             { key, value, condition, expiration, stick throws(StoreError) in
                 try c.set(key, value, condition: condition, expiration: expiration, stick: stick) })
        }
        let generic = viaProtocol(store)
        let deadline = clock.nowMilliseconds() + 5_000
        let cases: [(SetCondition, Expiration, Bool)] = [
            (.always, .none, false), (.ifAbsent, .none, false), (.ifPresent, .keep, false),
            (.always, .at(milliseconds: deadline), false), (.always, .none, true),
        ]
        for (n, (condition, expiration, stick)) in cases.enumerated() {
            let concreteKey = ByteString("concrete:\(n)"), genericKey = ByteString("generic:\(n)")
            for value: ByteString in ["12", "a value longer than fifteen bytes", "x"] {
                let a = try store.set(concreteKey, value, condition: condition, expiration: expiration, stick: stick)
                let b = try generic.set(genericKey, value, condition, expiration, stick)
                #expect(a == b)
                #expect(try store.get(concreteKey) == generic.get(genericKey))
                #expect(store.execute(["PTTL", concreteKey]) == store.execute(["PTTL", genericKey]))
            }
            // STICK answers 0 for a key that is sticky already.
            #expect(store.execute(["STICK", concreteKey]) == store.execute(["STICK", genericKey]))
        }
        #expect(store.execute(["LPUSH", "list", "x"]) == .integer(1))
        #expect(throws: StoreError.wrongType) { try store.get("list") }
        #expect(throws: StoreError.wrongType) { try generic.get("list") }
        #expect(try store.set("list", "now a string"))
        #expect(try store.get("list") == "now a string")
    }
}
