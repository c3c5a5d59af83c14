import LuaStoreCore
import Testing
@testable import LuaStoreScripting

@Suite struct FlagTests {
    @Test func redisShebang() throws {
        let script = try Script("#!lua flags=no-writes,allow-oom\nreturn 1")
        #expect(script.flags == [.noWrites, .allowOOM])
        #expect(script.hasShebang)
        #expect(try Script("#!lua\nreturn 1").flags == [])
        #expect(try Script("#!lua flags=\nreturn 1").flags == [])
        #expect(try Script("return 1").hasShebang == false)
    }

    @Test func dragonflySyntax() throws {
        let script = try Script("--!df flags=disable-atomicity,allow-undeclared-keys\nreturn 1")
        #expect(script.flags == [.disableAtomicity, .allowUndeclaredKeys])
        #expect(!script.hasShebang)
        #expect(try Script("#!lua flags=allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1").flags
                == [.allowStale, .noCluster, .allowCrossSlotKeys])
    }

    @Test func errorsMatchRedis() {
        #expect(throws: StoreError.unexpectedShebangFlag("bogus")) {
            try Script("#!lua flags=no-writes,bogus\nreturn 1")
        }
        #expect(throws: StoreError.unexpectedShebangFlag("nope")) {
            try Script("--!df flags=nope\nreturn 1")
        }
        #expect(throws: StoreError.unknownShebangOption("name=x")) { try Script("#!lua name=x\nreturn 1") }
        #expect(throws: StoreError.unexpectedShebangEngine("#!luax")) { try Script("#!luax\nreturn 1") }
        #expect(throws: StoreError.invalidShebang) { try Script("#!lua") }
        #expect(sharedEngine.eval("#!lua flags=bogus\nreturn 1") == .error("ERR Unexpected flag in script shebang: bogus"))
    }

    @Test func shebangKeepsLineNumbers() {
        let s = "#!lua\nreturn x"
        #expect(sharedEngine.eval(s) == .error("ERR user_script:2: Script attempted to access nonexistent global variable 'x' script: \(sha(s)), on @user_script:2."))
    }

    @Test func defaultFlagsAreAdded() throws {
        let engine = ScriptEngine(configuration: .init(defaultFlags: [.allowUndeclaredKeys]))
        let script = try Script("#!lua flags=no-writes\nreturn 1")
        #expect(engine.effectiveFlags(of: script) == [.noWrites, .allowUndeclaredKeys])
    }

    @Test func flagsSetFromSwift() throws {
        let engine = ScriptEngine()
        let script = try engine.load(ByteString("return 1"))
        engine.setFlags([.disableAtomicity], forScript: script.sha1.uppercased())
        #expect(engine.effectiveFlags(of: script) == [.disableAtomicity])
        let invocation = try ScriptInvocation.parse(["EVALSHA", ByteString(script.sha1), "0"], engine: engine).get()
        #expect(invocation.flags == [.disableAtomicity])
    }

    @Test func sha1IsLowerCaseHexAndEvalSHAAcceptsUpperCase() throws {
        let engine = ScriptEngine()
        let script = try engine.load(ByteString("return 1"))
        #expect(script.sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
        #expect(engine.evalSHA(script.sha1.uppercased(), keys: [], args: [], host: FakeHost()) == .integer(1))
        #expect(engine.exists(["E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "x"]) == [true, false])
        engine.flushScripts()
        #expect(engine.exists([script.sha1]) == [false])
    }
}

@Suite struct SHA1Tests {
    @Test func knownVectors() {
        #expect(SHA1.hex([]) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hex(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(SHA1.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func luaSha1hex() {
        #expect(sharedEngine.eval("return redis.sha1hex('')") == .bulk("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
        #expect(sharedEngine.eval("return redis.sha1hex(1)") == .bulk("356a192b7913b04c54574d18c28d46e6395428ab"))
    }
}
