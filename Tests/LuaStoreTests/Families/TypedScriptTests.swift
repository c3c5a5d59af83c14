import Testing
@testable import LuaStore

/// `eval`/`evalsha`/`fcall` with `as:`: Redis's conversions of Lua values, typed errors,
/// and function libraries loaded with a throwing call.
@Suite struct TypedScriptTests {
    @Test func evalDecodesLuaValuesAsRedisConvertsThem() throws {
        let store = LuaStore()
        #expect(try store.eval("return 7", as: Int.self) == 7)
        #expect(try store.eval("return 'x'", as: String.self) == "x")
        #expect(try store.eval("return {'a', 'b'}", as: [String].self) == ["a", "b"])
        #expect(try store.eval("return true", as: Bool.self))
        #expect(try store.eval("return true", as: Int.self) == 1)
        #expect(try !store.eval("return false", as: Bool.self))
        #expect(try store.eval("return false", as: String?.self) == nil)
        #expect(try store.eval("return redis.call('GET', KEYS[1])", keys: ["missing"], as: String?.self) == nil)
        // A Lua number is truncated to an integer; a float comes back as a string.
        #expect(try store.eval("return 2.9", as: Int.self) == 2)
        #expect(try store.eval("return tostring(2.5)", as: Double.self) == 2.5)
        #expect(try store.eval("redis.setresp(3) return {double=1.5}", as: Double.self) == 1.5)
    }

    @Test func dictionariesFromMapsAndFlatPairs() throws {
        let store = LuaStore()
        try store.hset("h", [(field: "a", value: "1"), (field: "b", value: "2")])
        #expect(try store.eval("return redis.call('HGETALL', KEYS[1])", keys: ["h"], as: [String: Int].self) == ["a": 1, "b": 2])
        #expect(try store.eval("redis.setresp(3) return redis.call('HGETALL', KEYS[1])", keys: ["h"], as: [String: Int].self)
                == ["a": 1, "b": 2])
    }

    @Test func literalArgumentsReachTheScript() throws {
        let store = LuaStore()
        let user = "ann"
        let echoed = try store.eval("return {KEYS[1], ARGV[1], ARGV[2], ARGV[3]}", keys: ["hits:\(user)"], args: [10, 2.5, "x"],
                                    as: [String].self)
        #expect(echoed == ["hits:ann", "10", "2.5", "x"])
    }

    @Test func mismatchAndScriptErrorsThrow() {
        let store = LuaStore()
        #expect(throws: StoreError.unexpectedReply(expected: "Int", got: .bulk("abc"))) {
            try store.eval("return 'abc'", as: Int.self)
        }
        #expect(throws: StoreError.custom("ERR boom")) {
            try store.eval("return redis.error_reply('ERR boom')", as: Int.self)
        }
        #expect(throws: StoreError.noScript) { try store.evalsha(String(repeating: "0", count: 40), as: Int.self) }
        #expect(throws: StoreError.functionNotFound) { try store.fcall("nosuch", as: Int.self) }
    }

    @Test func evalshaOfTextAndScript() throws {
        let store = LuaStore()
        let script = try store.scriptLoad("return ARGV[1] + 1")
        #expect(try store.evalsha(script.sha1, args: [41], as: Int.self) == 42)
        #expect(try store.evalsha(script, args: [1], as: Int.self) == 2)
        #expect(try store.eval(script, args: [2], as: Int.self) == 3)
    }

    @Test func functionLibrariesLoadWithAThrowingCall() throws {
        let store = LuaStore()
        let library: ByteString = """
            #!lua name=counters
            redis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)
            """
        #expect(try store.functionLoad(library) == "counters")
        #expect(throws: StoreError.libraryAlreadyExists("counters")) { try store.functionLoad(library) }
        #expect(try store.functionLoad(library, replace: true) == "counters")
        #expect(try store.fcall("bump", keys: ["n"], as: Int.self) == 1)
        try store.functionDelete("counters")
        #expect(throws: StoreError.libraryNotFound) { try store.functionDelete("counters") }
        #expect(throws: StoreError.invalidLibraryName) { try store.functionLoad("#!lua name=bad-name\nreturn 1") }
    }

    /// A whole-iteration scan and a paged one have the same element type; every paged scan
    /// returns a `ScanResult`.
    @Test func scanResultsHaveOneShape() throws {
        let store = LuaStore()
        try store.sadd("s", ["a"])
        try store.hset("h", [(field: "f", value: "v")])
        try store.zadd("z", [(score: 1, member: "m")])
        let keys: ScanResult<ByteString> = store.scan(cursor: 0, count: 100)
        let members: ScanResult<ByteString> = try store.sscan("s", cursor: 0)
        let fields: ScanResult<HashEntry> = try store.hscan("h", cursor: 0)
        let entries: ScanResult<SortedSetEntry> = try store.zscan("z", cursor: 0)
        #expect(Set(keys.elements) == ["s", "h", "z"] && keys.isComplete)
        #expect(members == ScanResult(cursor: 0, elements: ["a"]))
        #expect(fields.elements == [HashEntry(field: "f", value: "v")])
        #expect(entries.elements == [SortedSetEntry(member: "m", score: 1)])
        #expect(try store.sscan("s") == ["a"])
        #expect(try store.hscan("h") == [HashEntry(field: "f", value: "v")])
        #expect(try store.zscan("z") == [SortedSetEntry(member: "m", score: 1)])
    }

    /// ByteString(Double) is what INCRBYFLOAT prints for the same value.
    @Test(arguments: [2.5, 0.1, 3.0, -7.25, 1e20, 1e-5, 0.1 + 0.2, 123456789.125])
    func byteStringOfDoubleMatchesIncrbyfloat(value: Double) throws {
        let store = LuaStore()
        #expect(try store.incrbyfloat("f", value) == ByteString(value))
    }

    /// `LuaStore.X` names the library's types even though `LuaStore` is also the module.
    @Test func classNamespaceNamesEveryType() throws {
        let reply: LuaStore.Reply = .integer(1)
        let key: LuaStore.ByteString = "k"
        let page = LuaStore.ScanResult<LuaStore.ByteString>(cursor: 0, elements: [key])
        let clock: LuaStore.ManualClock = ManualClock()
        let store = LuaStore(configuration: .init(clock: clock))
        let script: LuaStore.Script = try store.scriptLoad("return 1")
        #expect(try store.eval(script) == reply && page.elements == [key])
        #expect(LuaStore.StoreError.noScript == StoreError.noScript)
        #expect(LuaStore.Expiration.none == Expiration.none)
    }
}
