import CLua
import CLuaRun
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import LuaStoreCore

/// One sandboxed Lua 5.4 state: libraries, the `redis` table, compiled scripts (by SHA1)
/// and loaded function libraries.
///
/// Invariant that makes the Lua/Swift boundary safe: outside `lua_pcall`, the allocator is
/// in "unlimited" mode (`clua_set_unlimited`), so the only API calls Swift makes that could
/// raise (allocating ones: push a string, create a table) cannot fail on the cap; Swift
/// never calls a function that runs Lua code or metamethods except through `lua_pcall`.
///
/// # Thread safety
/// Not thread-safe: a state is used by one thread at a time. ``StatePool`` hands it out
/// under its mutex; the only cross-thread access is ``interrupt(_:)``, which is atomic.
final class LuaState: @unchecked Sendable {
    let L: OpaquePointer
    private var errorHandlerRef: Int32 = 0
    private var globalsRef: Int32 = 0
    private var loadLibraryRef: Int32 = 0
    /// SHA1 -> the compiled chunk.
    var compiledScripts: [String: CompiledScript] = [:]
    struct CompiledScript {
        /// Registry reference of the chunk.
        var ref: Int32
        /// Compiled with ``RedisAlias/prefix``: call it with the real redis table.
        var takesRedis: Bool
    }
    private var redisTableRef: Int32 = 0
    /// The engine's script-cache generation these compiled scripts belong to.
    var scriptGeneration: UInt64 = 0
    /// Library name -> (generation of its code, function name -> callback reference).
    var loadedLibraries: [String: (generation: UInt64, functions: [String: Int32])] = [:]

    // Per-run state, read by the host functions (RedisAPI.swift) on every `redis.call`.
    // Unchecked: one thread uses a state at a time, and the dynamic exclusivity check
    // cost more than converting the call's arguments.
    @exclusivity(unchecked) var host: (any ScriptHost)?
    @exclusivity(unchecked) var resp: Int32 = 2
    @exclusivity(unchecked) var asyncQueued = false
    /// `redis.call` argument arrays by argument count (0...8), reused call after call.
    @exclusivity(unchecked) var argvByCount: [[ByteString]] = Array(repeating: [], count: 9)
    var logger: Logger
    /// True once the state must not be reused (memory cap hit).
    var isPoisoned = false

    init?(memoryLimit: Int, logger: Logger, version: String, versionNumber: Int) {
        guard let state = clua_newstate(memoryLimit, nil) else { return nil }
        L = state
        self.logger = logger
        clua_getctx(L).pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        // On failure deinit closes the state (self is fully initialized here).
        guard install(version: version, versionNumber: versionNumber) else { return nil }
        // The allocator stays unlimited in Swift frames; `call` lifts that only around lua_pcall.
        clua_check_mirror(L)
        clua_gc_collect(L)
    }

    deinit { clua_close(L) }

    /// The Swift object owning `L` (host functions find their state this way).
    static func owner(of L: OpaquePointer) -> LuaState {
        Unmanaged<LuaState>.fromOpaque(clua_owner(L)!).takeUnretainedValue()
    }

    var memoryUsed: Int { Int(clua_memory_used(L)) }

    /// Safe from any thread: stops the current run at its next hook check.
    func interrupt(_ reason: Int32) { clua_run_interrupt(L, reason) }

    /// SCRIPT KILL, safe from any thread: stops the run unless it has written (see
    /// ``ScriptWriteGate``); returns whether it stops.
    func kill() -> Bool { clua_run_try_kill(L) != 0 }

    // MARK: - Setup

    private func install(version: String, versionNumber: Int) -> Bool {
        // Coroutines and xpcall in versions a stop reaches (CLuaRun), before the sandbox copies them.
        guard clua_openlibs(L) == LUA_OK, clua_run_install(L) == LUA_OK else { return false }
        let status = LuaPrelude.source.withCString { src in
            clua_loadtext(L, src, strlen(src), LuaPrelude.chunkName)
        }
        guard status == LUA_OK else {
            logger.error("Lua prelude failed to compile: \(String(cString: clua_tostring(L, -1)))")
            return false
        }
        lua_createtable(L, 0, 8)
        for (name, fn) in RedisAPI.hostFunctions {
            clua_pushhostfunction(L, fn)
            lua_setfield(L, -2, name)
        }
        clua_add_prelude_helpers(L)
        lua_pushstring(L, version)
        lua_pushinteger(L, lua_Integer(versionNumber))
        guard clua_pcall(L, 3, 5, 0) == LUA_OK else {
            logger.error("Lua prelude failed: \(String(cString: clua_tostring(L, -1)))")
            return false
        }
        // Stack: errh, G, env, load_library, redis.
        redisTableRef = clua_ref(L)
        loadLibraryRef = clua_ref(L)
        clua_setglobals(L)
        globalsRef = clua_ref(L)
        errorHandlerRef = clua_ref(L)
        return true
    }

    // MARK: - Running

    /// Why a pcall'd chunk stopped, in Redis's error formats.
    private func errorReply(status: Int32, name: String) -> Reply {
        defer { clua_pop(L, 1) }
        if status == LUA_ERRMEM || clua_memory_exceeded(L) != 0 {
            isPoisoned = clua_memory_exceeded(L) != 0
            return .error("ERR Error running script \(name), not enough memory")
        }
        guard clua_istable(L, -1) != 0 else {
            var message = "execution failure"
            if lua_isstring(L, -1) != 0 { message = String(cString: clua_tostring(L, -1)) }
            return .error(Self.oneLine("ERR Error running script \(name), \(message.prefix(100))"))
        }
        let message = rawStringField("err") ?? "ERR unknown error"
        var line = message
        if let source = rawStringField("source"), let at = rawStringField("line") {
            line += " script: \(name), on \(source):\(at)."
        }
        return .error(Self.oneLine(line))
    }

    /// The field `key` of the table on top, as text (strings and numbers), without metamethods.
    func rawStringField(_ key: String) -> String? {
        lua_pushstring(L, key)
        lua_rawget(L, -2)
        defer { clua_pop(L, 1) }
        guard lua_isstring(L, -1) != 0 else { return nil }
        var length = 0
        let p = lua_tolstring(L, -1, &length)!
        return String(decoding: UnsafeRawBufferPointer(start: p, count: length), as: UTF8.self)
    }

    static func oneLine(_ s: String) -> String {
        // Per byte, as Redis does (a CRLF becomes two spaces).
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
    }

    /// Compiles `script` into this state unless it already is, then pushes the chunk and,
    /// when it was compiled with ``RedisAlias/prefix``, the real redis table as its argument.
    /// Returns the number of arguments pushed, or the error reply (nothing pushed).
    private func pushCompiled(_ script: Script, autoAsync: Bool) -> (arguments: Int32, error: Reply?) {
        if let compiled = compiledScripts[script.sha1] {
            clua_getref(L, compiled.ref)
            guard compiled.takesRedis else { return (0, nil) }
            clua_getref(L, redisTableRef)
            return (1, nil)
        }
        var body = script.luaBody
        if autoAsync { body = AutoAsync.rewrite(body) }
        if RedisAlias.canAlias(body) {
            // Only a script at Lua's limit of 200 locals fails here; it compiles plainly below.
            if load(RedisAlias.prefix + body) == LUA_OK {
                lua_pushvalue(L, -1)
                compiledScripts[script.sha1] = CompiledScript(ref: clua_ref(L), takesRedis: true)
                clua_getref(L, redisTableRef)
                return (1, nil)
            }
            clua_pop(L, 1)
        }
        if load(body) != LUA_OK {
            let message = String(cString: clua_tostring(L, -1))
            clua_pop(L, 1)
            return (0, .error(Self.oneLine("ERR Error compiling script (new function): \(message)")))
        }
        lua_pushvalue(L, -1)
        compiledScripts[script.sha1] = CompiledScript(ref: clua_ref(L), takesRedis: false)
        return (0, nil)
    }

    private func load(_ body: [UInt8]) -> Int32 {
        body.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { clua_loadtext(L, $0.baseAddress, $0.count, "@user_script") }
        }
    }

    /// Runs an EVAL script with KEYS/ARGV as globals.
    func runScript(_ script: Script, keys: [ByteString], args: [ByteString], host: any ScriptHost,
                   limits: RunLimits) -> Reply {
        lua_settop(L, 0)
        clua_getref(L, errorHandlerRef)
        let (arguments, error) = pushCompiled(script, autoAsync: limits.autoAsync)
        if let error {
            lua_settop(L, 0)
            return error
        }
        clua_getref(L, globalsRef)
        lua_pushstring(L, "KEYS")
        pushArray(keys)
        lua_rawset(L, -3)
        lua_pushstring(L, "ARGV")
        pushArray(args)
        lua_rawset(L, -3)
        clua_pop(L, 1)
        return call(nargs: arguments, name: script.sha1, host: host, limits: limits)
    }

    /// Runs a library function `fn(keys, args)`; the callback must be loaded (see `ScriptEngine.callFunction`).
    func runFunction(callbackRef: Int32, name: String, keys: [ByteString], args: [ByteString],
                     host: any ScriptHost, limits: RunLimits) -> Reply {
        lua_settop(L, 0)
        clua_getref(L, errorHandlerRef)
        // Functions get (keys, args), never the KEYS/ARGV globals of an earlier EVAL here.
        clua_getref(L, globalsRef)
        lua_pushstring(L, "KEYS")
        lua_pushnil(L)
        lua_rawset(L, -3)
        lua_pushstring(L, "ARGV")
        lua_pushnil(L)
        lua_rawset(L, -3)
        clua_pop(L, 1)
        clua_getref(L, callbackRef)
        pushArray(keys)
        pushArray(args)
        return call(nargs: 2, name: name, host: host, limits: limits)
    }

    /// The reused argument arrays must not keep a long argument's buffer alive after the run.
    private func releaseLongArguments() {
        for n in argvByCount.indices where argvByCount[n].contains(where: { $0.sharedStorage != nil }) {
            argvByCount[n] = []
        }
    }

    /// Stack: handler, function, args. Runs it under the limits and converts the result.
    private func call(nargs: Int32, name: String, host: any ScriptHost, limits: RunLimits) -> Reply {
        self.host = host
        resp = 2
        asyncQueued = false
        defer {
            self.host = nil
            lua_settop(L, 0)
            releaseLongArguments()
        }
        let startedAt = limits.slowThresholdNanoseconds > 0 ? Self.monotonicNanoseconds() : 0
        clua_run_begin(L, limits.timeLimitNanoseconds, limits.hookInstructionCount)
        host.bind(ScriptWriteGate(L: L))
        limits.registry?.didStart(self, isFunction: limits.isFunction, cancellation: limits.cancellation)
        clua_set_unlimited(L, 0)
        let status = clua_pcall(L, nargs, 1, 1)
        clua_set_unlimited(L, 1)
        clua_run_end(L)
        limits.registry?.didEnd(self, cancellation: limits.cancellation)
        // A state that hit its cap is not reused, even if the script caught the error.
        if clua_memory_exceeded(L) != 0 { isPoisoned = true }
        logRun(name: name, limits: limits, startedAt: startedAt)
        if status != LUA_OK {
            let reply = errorReply(status: status, name: name)
            // Calls queued before the error still run; the script's error is what counts.
            if asyncQueued { _ = host.flush() }
            return reply
        }
        // Stopped, yet the chunk returned: the stop landed in a coroutine, the resume
        // returned its error as a value, and the script ended before its own thread ran
        // another (armed) instruction. A stop is never a success; there is no position.
        let reason = clua_interrupt_reason(L)
        if reason != Int32(CLUA_RUNNING), let message = clua_run_stop_message(reason) {
            if asyncQueued { _ = host.flush() }
            return .error(String(cString: message))
        }
        if asyncQueued, let error = host.flush() {
            asyncQueued = false
            return .error(Self.oneLine(RedisAPI.errorText(fromReply: error)))
        }
        var depth = 0
        return toReply(index: lua_gettop(L), depth: &depth)
    }

    func pushArray(_ items: [ByteString]) {
        lua_createtable(L, Int32(clamping: items.count), 0)
        for (i, item) in items.enumerated() {
            item.withUnsafeBytes { b in
                _ = lua_pushlstring(L, b.baseAddress?.assumingMemoryBound(to: CChar.self), b.count)
            }
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
    }

    // MARK: - Function libraries

    /// A library's registered functions, as read back from `load_library`.
    struct RegisteredFunction {
        var name: String
        var flags: [String]
        var description: String?
        var callbackRef: Int32
    }

    /// Runs library code in the restricted load environment. Returns the functions, or the
    /// error reply of FUNCTION LOAD.
    func loadLibrary(code: [UInt8], limits: RunLimits) -> Result<[RegisteredFunction], StoreError> {
        lua_settop(L, 0)
        clua_getref(L, loadLibraryRef)
        code.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
        clua_run_begin(L, limits.timeLimitNanoseconds, limits.hookInstructionCount)
        clua_set_unlimited(L, 0)
        let status = clua_pcall(L, 1, 3, 0)
        clua_set_unlimited(L, 1)
        clua_run_end(L)
        defer { lua_settop(L, 0) }
        guard status == LUA_OK else {
            if clua_memory_exceeded(L) != 0 { isPoisoned = true }
            return .failure(.functionRegistrationFailed("not enough memory"))
        }
        // Stack: list | nil, kind, error.
        guard clua_istable(L, 1) != 0 else {
            let kind = lua_isstring(L, 2) != 0 ? String(cString: clua_tostring(L, 2)) : "run"
            if kind == "compile" {
                let message = lua_isstring(L, 3) != 0 ? String(cString: clua_tostring(L, 3)) : "error"
                return .failure(.functionCompileFailed(message))
            }
            lua_settop(L, 3)
            var message = "ERR unknown error"
            if clua_istable(L, 3) != 0 { message = rawStringField("err") ?? message }
            return .failure(.functionRegistrationFailed(message))
        }
        var result: [RegisteredFunction] = []
        let count = lua_rawlen(L, 1)
        for i in 0..<count {
            lua_rawgeti(L, 1, lua_Integer(i + 1))  // entry table at -1
            let name = rawStringField("name") ?? ""
            let description = rawStringField("description")
            var flags: [String] = []
            lua_pushstring(L, "flags")
            lua_rawget(L, -2)
            let flagCount = lua_rawlen(L, -1)
            for j in 0..<flagCount {
                lua_rawgeti(L, -1, lua_Integer(j + 1))
                flags.append(String(cString: clua_tostring(L, -1)))
                clua_pop(L, 1)
            }
            clua_pop(L, 1)
            lua_pushstring(L, "callback")
            lua_rawget(L, -2)
            let ref = clua_ref(L)
            clua_pop(L, 1)
            result.append(RegisteredFunction(name: name, flags: flags, description: description, callbackRef: ref))
        }
        return .success(result)
    }

    func releaseReferences(_ refs: some Sequence<Int32>) {
        for ref in refs { clua_unref(L, ref) }
    }
}

/// The limits of one run, and who must know it runs (for SCRIPT KILL and cancellation).
struct RunLimits {
    var timeLimitNanoseconds: Int64
    var hookInstructionCount: Int32
    var autoAsync: Bool
    var isFunction = false
    var registry: ScriptEngine?
    var cancellation: ScriptCancellation?
    /// Runs at least this long are logged as slow (0: none).
    var slowThresholdNanoseconds: Int64 = 0
}
