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
}
