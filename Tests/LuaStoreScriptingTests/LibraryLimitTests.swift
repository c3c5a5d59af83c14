import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// Library code stops promptly and fails as Redis's C libraries do. Expected texts come
/// from redis-server 7.0.15 (whose Lua 5.1 reads `\145` where these scripts say `\x91`).
@Suite struct LibraryLimitTests {
    let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(500)))

    /// A 100k-deep nesting used to recurse in Lua until "stack overflow", whose message
    /// handler then walked the stack (quadratic, with hooks off) for tens of seconds.
    @Test func cmsgpackNestingBombFailsAtOnceWithRedisError() {
        let s = "return cmsgpack.unpack(string.rep('\\x91', 100000) .. '\\x00')"
        let start = ContinuousClock.now
        let reply = runOnThread(.signal) { [engine] in engine.eval(s) }
        #expect(reply == .error("ERR user_script:1: stack overflow (in function mp_decode_to_lua_array) script: \(sha(s)), on @user_script:1."))
        #expect(ContinuousClock.now - start < .milliseconds(500))
        let maps = "return cmsgpack.unpack(string.rep('\\x81\\x00', 100000) .. '\\x00')"
        #expect(engine.eval(maps) == .error("ERR user_script:1: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.) script: \(sha(maps)), on @user_script:1."))
        let caught = "local ok, e = pcall(cmsgpack.unpack, string.rep('\\x91', 100000) .. '\\x00') return e"
        #expect(engine.eval(caught) == .bulk("stack overflow (in function mp_decode_to_lua_array)"))
    }

    /// Redis's bounds come from Lua 5.1's 8000 stack slots for a C function: 3999 nested
    /// arrays or maps, 7999 values at the top level.
    @Test func cmsgpackNestingBoundsAreRedis() {
        func depth(_ unit: String, _ n: Int, key: String) -> Reply {
            engine.eval("local t = cmsgpack.unpack(string.rep('\(unit)', \(n)) .. '\\x00') local d = 0 while type(t) == 'table' do t = t[\(key)] d = d + 1 end return d")
        }
        #expect(depth("\\x91", 3999, key: "1") == .integer(3999))
        #expect(depth("\\x91", 4000, key: "1").errorMessage?.contains("stack overflow (in function mp_decode_to_lua_array)") == true)
        #expect(depth("\\x81\\x00", 3999, key: "0") == .integer(3999))
        #expect(depth("\\x81\\x00", 4000, key: "0").errorMessage?.contains("stack overflow (too many return values at once") == true)
        #expect(engine.eval("return select('#', cmsgpack.unpack(string.rep('\\x01', 7999)))") == .integer(7999))
        #expect(engine.eval("return select('#', cmsgpack.unpack(string.rep('\\x01', 8000)))").errorMessage?
                .contains("stack overflow (too many return values at once") == true)
    }

    @Test func cmsgpackUnpackErrorsAreRedis() {
        let positioned: [(String, String)] = [
            ("\\xdb\\xff\\xff\\xff\\xff", "Missing bytes in input."),
            ("\\xdb\\x00\\x00\\x00\\x01", "Missing bytes in input."),
            ("\\xdb\\x00\\x00", "Missing bytes in input."),
            ("\\x91", "Missing bytes in input."),
            ("\\xdc\\x00", "Missing bytes in input."),
            ("\\x92\\x01", "Missing bytes in input."),
            ("\\xc1", "Bad data format in input."),
            ("\\xc4\\x01a", "Bad data format in input."),
            ("\\x92\\x01\\xc1", "Bad data format in input."),
        ]
        for (input, message) in positioned {
            let s = "return cmsgpack.unpack('\(input)')"
            #expect(engine.eval(s) == .error("ERR user_script:1: \(message) script: \(sha(s)), on @user_script:1."), "\(input)")
        }
        let nilKey = "return cmsgpack.unpack('\\x81\\xc0\\x01')"
        #expect(engine.eval(nilKey) == .error("ERR table index is nil script: \(sha(nilKey)), on @user_script:1."))
        let nanKey = "return cmsgpack.unpack('\\x81\\xcb\\xff\\xf8\\x00\\x00\\x00\\x00\\x00\\x00\\x01')"
        #expect(engine.eval(nanKey) == .error("ERR table index is NaN script: \(sha(nanKey)), on @user_script:1."))
        #expect(engine.eval("local ok, e = pcall(cmsgpack.unpack, '\\x81\\xc0\\x01') return e") == .bulk("table index is nil"))
        let none = "return cmsgpack.unpack()"
        #expect(engine.eval(none) == .error("ERR user_script:1: bad argument #1 to 'unpack' (string expected, got no value) script: \(sha(none)), on @user_script:1."))
        let table = "return cmsgpack.unpack({})"
        #expect(engine.eval(table) == .error("ERR user_script:1: bad argument #1 to 'unpack' (string expected, got table) script: \(sha(table)), on @user_script:1."))
        let pack = "return cmsgpack.pack()"
        #expect(engine.eval(pack) == .error("ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.) script: \(sha(pack)), on @user_script:1."))
    }

    @Test func cmsgpackUnpackValuesAreRedis() {
        #expect(engine.eval("return cmsgpack.unpack('')") == .null)
        #expect(engine.eval("return cmsgpack.unpack(1)") == .integer(49))
        #expect(engine.eval("return {cmsgpack.unpack('\\x01\\x02')}") == .array([.integer(1), .integer(2)]))
        #expect(engine.eval("return {cmsgpack.unpack('\\xda\\x00\\x02ab\\x01')}") == .array([.bulk("ab"), .integer(1)]))
        #expect(engine.eval("return tostring(cmsgpack.unpack('\\xcf\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff'))") == .bulk("-1"))
        #expect(engine.eval("return tostring(cmsgpack.unpack('\\xce\\xff\\xff\\xff\\xff'))") == .bulk("4294967295"))
        #expect(engine.eval("return tostring(cmsgpack.unpack('\\xca\\x3f\\xc0\\x00\\x00'))") == .bulk("1.5"))
        #expect(engine.eval("local t = cmsgpack.unpack('\\x81\\x01\\xc0') return #t") == .integer(0))
        #expect(engine.eval("return cmsgpack.unpack('\\x93\\x01\\xc0\\x03')[3]") == .integer(3))
        #expect(engine.eval("local t = cmsgpack.unpack(cmsgpack.pack({a = {1, {b = 'c'}}})) return t.a[2].b") == .bulk("c"))
    }

    /// A raised depth let cjson recurse in C until the thread's stack overflowed (a crash).
    /// The setters are capped at cjson's default; checked before going deep, so a build
    /// without the cap fails here instead of crashing the test run.
    @Test func cjsonDepthSettersAreCapped() {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(500)))
        let setters = "return {cjson.encode_max_depth(100000), cjson.decode_max_depth(1e9), cjson.new().decode_max_depth(5000), cjson.new().new().encode_max_depth(2^31 - 1), cjson.decode_max_depth(5), cjson.decode_max_depth()}"
        guard engine.eval(setters) == .array([1000, 1000, 1000, 1000, 5, 5].map { .integer($0) }) else {
            Issue.record("the depth setters are not capped: \(engine.eval(setters))")
            return
        }
        let decode = "cjson.decode_max_depth(1e6) return cjson.decode(string.rep('[', 200000) .. string.rep(']', 200000))"
        #expect(engine.eval(decode) == .error("ERR user_script:1: Found too many nested data structures (1001) at character 1001 script: \(sha(decode)), on @user_script:1."))
        let encode = "cjson.encode_max_depth(1e6) local t = {} for i = 1, 200000 do t = {t} end return cjson.encode(t)"
        #expect(engine.eval(encode) == .error("ERR user_script:1: Cannot serialise, excessive nesting (1001) script: \(sha(encode)), on @user_script:1."))
        let instance = "local j = cjson.new() j.decode_max_depth(1e6) return j.decode(string.rep('{\"a\":', 200000))"
        #expect(engine.eval(instance).errorMessage?.contains("Found too many nested data structures (1001)") == true)
        let refused = "return cjson.encode_max_depth('x')"
        #expect(engine.eval(refused) == .error("ERR user_script:1: bad argument #1 to 'encode_max_depth' (number expected, got string) script: \(sha(refused)), on @user_script:1."))
    }

    /// cjson.encode builds its output with malloc, outside the state's cap, and writes a
    /// subtable once per path to it: {t, t} ten levels deep around a 1 MB string is 1 GB.
    @Test func cjsonEncodeIsBoundedByTheMemoryCap() {
        let engine = ScriptEngine(configuration: .init(timeLimit: .seconds(5), memoryLimitPerState: 64 << 20))
        let s = "local s = string.rep('a', 1000000) local t = s for i = 1, 10 do t = {t, t} end return #cjson.encode(t)"
        let start = ContinuousClock.now
        #expect(engine.eval(s) == .error("ERR Error running script \(sha(s)), not enough memory"))
        #expect(ContinuousClock.now - start < .milliseconds(500))
        // What fits encodes as before; a cycle fails at cjson's depth, not on memory.
        #expect(engine.eval("local s = string.rep('a', 1000) local t = s for i = 1, 10 do t = {t, t} end return #cjson.encode(t)") == .integer(1029117))
        let cycle = "local t = {} t[1] = t t[2] = t return cjson.encode(t)"
        #expect(engine.eval(cycle) == .error("ERR user_script:1: Cannot serialise, excessive nesting (1001) script: \(sha(cycle)), on @user_script:1."))
        #expect(engine.eval("return #cjson.encode({a = {1, 2, 'x'}, b = cjson.null})") == .integer(24))
    }

    /// Without a cap the walk that bounds the output still meets the time limit.
    @Test(arguments: StopPath.allCases)
    func cjsonEncodeMeetsTheTimeLimit(path: StopPath) {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(300), memoryLimitPerState: 0))
        let s = "local t = 'x' for i = 1, 60 do t = {t, t} end return #cjson.encode(t)"
        let reply = runOnThread(path) { engine.eval(s) }
        #expect(reply?.errorMessage?.hasPrefix("ERR Script exceeded the configured time limit") == true, "\(String(describing: reply))")
    }
}
