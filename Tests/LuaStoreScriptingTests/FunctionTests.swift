import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// Expected texts come from redis-server 7.0.15.
@Suite struct FunctionTests {
    static let library = """
    #!lua name=mylib
    redis.register_function('f1', function(keys, args) return redis.call('incr', keys[1]) end)
    redis.register_function{function_name='f2', callback=function(keys, args) return x end, flags={'no-writes'}, description='reads'}
    redis.register_function('f3', function(keys, args) return {#keys, #args, keys[1], args[1]} end)
    """

    func load(_ engine: ScriptEngine, _ code: String, replace: Bool = false) -> Result<String, StoreError> {
        Result { () throws(StoreError) in try engine.loadLibrary(ByteString(code), replace: replace) }
    }

    func fcall(_ engine: ScriptEngine, _ name: String, keys: [String] = [], args: [String] = [],
               readOnly: Bool = false, host: FakeHost = FakeHost()) -> Reply {
        engine.callFunction(name, keys: keys.map { ByteString($0) }, args: args.map { ByteString($0) },
                            host: host, readOnly: readOnly)
    }

    @Test func loadAndCall() {
        let engine = ScriptEngine()
        #expect(load(engine, Self.library) == .success("mylib"))
        let host = FakeHost()
        #expect(fcall(engine, "f1", keys: ["n"], host: host) == .integer(1))
        #expect(fcall(engine, "f1", keys: ["n"], host: host) == .integer(2))
        #expect(fcall(engine, "f3", keys: ["k"], args: ["a"]) == .array([.integer(1), .integer(1), .bulk("k"), .bulk("a")]))
        #expect(fcall(engine, "f2") == .error("ERR user_function:3: Script attempted to access nonexistent global variable 'x' script: f2, on @user_function:3."))
        host.data["s"] = .string("foo")
        #expect(fcall(engine, "f1", keys: ["s"], host: host) == .error("ERR value is not an integer or out of range script: f1, on @user_function:2."))
        #expect(fcall(engine, "f1", readOnly: true) == .error("ERR Can not execute a script with write flag using *_ro command."))
        #expect(fcall(engine, "nosuch") == .error("ERR Function not found"))
        #expect(engine.function(named: "f2")?.flags == [.noWrites])
        #expect(engine.function(named: "f2")?.description == "reads")
    }

    @Test func replaceDeleteFlush() {
        let engine = ScriptEngine()
        #expect(load(engine, Self.library) == .success("mylib"))
        #expect(load(engine, "#!lua name=mylib\nreturn 1") == .failure(.libraryAlreadyExists("mylib")))
        #expect(load(engine, "#!lua name=lib2\nredis.register_function('f1', function() end)")
                == .failure(.functionAlreadyExists("f1")))
        // Warm a state with the old code, then replace: the new code runs.
        #expect(fcall(engine, "f3", keys: ["k"], args: ["a"]).arrayValue?.count == 4)
        #expect(load(engine, "#!lua name=mylib\nredis.register_function('f3', function() return 'v2' end)", replace: true) == .success("mylib"))
        #expect(fcall(engine, "f3") == .bulk("v2"))
        #expect(fcall(engine, "f1") == .error("ERR Function not found"))
        #expect(Result { () throws(StoreError) in try engine.deleteLibrary("mylib") }.failure == nil)
        #expect(Result { () throws(StoreError) in try engine.deleteLibrary("mylib") }.failure == .libraryNotFound)
        #expect(fcall(engine, "f3") == .error("ERR Function not found"))
        _ = load(engine, Self.library)
        engine.flushFunctions()
        #expect(engine.listLibraries().isEmpty)
    }

    @Test func loadErrors() {
        let engine = ScriptEngine()
        let cases: [(String, String)] = [
            ("#!lua name=l\nlocal a = 1", "ERR No functions registered"),
            ("#!lua name=l-4\nredis.register_function('x', function() end)", "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"),
            ("#!lua\nredis.register_function('x', function() end)", "ERR Library name was not given"),
            ("redis.register_function('x', function() end)", "ERR Missing library metadata"),
            ("#!lua name=l flags=no-writes\n", "ERR Invalid metadata value given: flags=no-writes"),
            ("#!js name=l\n", "ERR Engine 'js' not found"),
            ("#!lua name=l\nredis.register_function('x-y', function() end)", "ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"),
            ("#!lua name=l\nredis.register_function('x', 1)", "ERR Error registering functions: ERR second argument to redis.register_function must be a function"),
            ("#!lua name=l\nredis.register_function('x')", "ERR Error registering functions: ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."),
            ("#!lua name=l\nredis.register_function('a', function() end, 3)", "ERR Error registering functions: ERR wrong number of arguments to redis.register_function"),
            ("#!lua name=l\nredis.register_function{callback=function() end}", "ERR Error registering functions: ERR redis.register_function must get a function name argument"),
            ("#!lua name=l\nredis.register_function{function_name='a'}", "ERR Error registering functions: ERR redis.register_function must get a callback argument"),
            ("#!lua name=l\nredis.register_function{function_name='x', callback=function() end, bogus=1}", "ERR Error registering functions: ERR unknown argument given to redis.register_function"),
            ("#!lua name=l\nredis.register_function{function_name='x', callback=function() end, flags='no-writes'}", "ERR Error registering functions: ERR flags argument to redis.register_function must be a table representing function flags"),
            ("#!lua name=l\nredis.register_function{function_name='x', callback=function() end, flags={'bad'}}", "ERR Error registering functions: ERR unknown flag given"),
            ("#!lua name=l\nredis.register_function('a', function() end) redis.register_function('a', function() end)", "ERR Error registering functions: ERR Function already exists in the library"),
            ("#!lua name=l\nx = 1", "ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly table"),
            ("#!lua name=l\nredis.call('ping')", "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'"),
            ("#!lua name=l\nlocal v = string.len('a')", "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'"),
        ]
        for (code, expected) in cases {
            #expect(load(engine, code).failure?.message == expected, "\(code)")
        }
        #expect(load(engine, "#!lua name=l\nreturn +") .failure?.message.hasPrefix("ERR Error compiling function: user_function:2:") == true)
        // The load environment has redis.log and the version, nothing else.
        #expect(load(engine, "#!lua name=ok\nredis.log(redis.LOG_NOTICE, redis.REDIS_VERSION)\nredis.register_function('z', function() return 1 end)") == .success("ok"))
    }

    @Test func functionsDoNotSeeKeysOfEarlierEvals() {
        let engine = ScriptEngine(configuration: .init(maxIdleStates: 1)) // one state, reused
        #expect(load(engine, "#!lua name=k\nredis.register_function('getkeys', function(keys, args) return KEYS end)") == .success("k"))
        #expect(engine.eval("return KEYS[1]", keys: ["k1"]) == .bulk("k1"))
        #expect(fcall(engine, "getkeys").errorMessage?.hasPrefix("ERR user_function:2: Script attempted to access nonexistent global variable 'KEYS'") == true)
    }

    @Test func listing() {
        let engine = ScriptEngine()
        _ = load(engine, Self.library)
        _ = load(engine, "#!lua name=other\nredis.register_function('o', function() end)")
        #expect(engine.listLibraries().map(\.name) == ["mylib", "other"])
        #expect(engine.listLibraries(matching: "my*").map(\.name) == ["mylib"])
        let reply = engine.executeAdmin(["FUNCTION", "LIST", "LIBRARYNAME", "oth*", "WITHCODE"])
        #expect(reply == .array([.array([
            .bulk("library_name"), .bulk("other"), .bulk("engine"), .bulk("LUA"),
            .bulk("functions"), .array([.array([.bulk("name"), .bulk("o"), .bulk("description"), .null, .bulk("flags"), .array([])])]),
            .bulk("library_code"), .bulk("#!lua name=other\nredis.register_function('o', function() end)"),
        ])]))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
