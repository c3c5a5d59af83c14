import CLua
import CLuaRun
import Logging
import LuaStoreCore

/// The Swift half of the `redis` table: `call`, `pcall`, `acall`, `apcall`, `sha1hex`, `log`,
/// `setresp`. (The rest is Lua, in ``LuaPrelude``.)
///
/// Each function runs inside `clua_trampoline`: it returns the number of results, or -1
/// after pushing the error value, which the trampoline raises once Swift has returned.
/// Everything is read from and pushed on the `lua_State` the function was called with:
/// the state's main thread or a coroutine, whose stack is its own.
/// While it runs the allocator ignores the cap, so the pushes below cannot raise.
///
/// # Thread safety
/// Stateless; each call touches only the state it runs on.
enum RedisAPI {
    static let hostFunctions: [(String, clua_host_fn)] = [
        ("call", { L in RedisAPI.command(L!, raise: true, async: false) }),
        ("pcall", { L in RedisAPI.command(L!, raise: false, async: false) }),
        ("acall", { L in RedisAPI.command(L!, raise: true, async: true) }),
        ("apcall", { L in RedisAPI.command(L!, raise: false, async: true) }),
        ("sha1hex", { L in RedisAPI.sha1hex(L!) }),
        ("log", { L in RedisAPI.log(L!) }),
        ("setresp", { L in RedisAPI.setresp(L!) }),
        ("set_repl", { L in RedisAPI.setRepl(L!) }),
    ]

    /// Redis's `luaPushErrorBuff` applied to a command's error line: `CODE msg` keeps its code,
    /// a line without a space gets `ERR`, trailing newlines go.
    static func errorText(fromReply reply: Reply, line: String? = nil) -> String {
        var text = line ?? reply.errorMessage ?? "ERR unknown error"
        if text.hasPrefix("-") { text.removeFirst() }
        var code = "ERR", message = Substring(text)
        if let space = text.firstIndex(of: " ") {
            code = String(text[..<space])
            message = text[text.index(after: space)...]
        }
        while let last = message.last, last == "\r" || last == "\n" || last == "\r\n" { message.removeLast() }
        return "\(code) \(message)"
    }

    /// `%.17g`, as Redis formats float arguments and RESP2 doubles.
    static func formatDouble(_ d: Double) -> String {
        // Integral values print the same digits as an integer (cjson decodes numbers as floats,
        // so this is the common case); snprintf is the slow path.
        if let exact = integralValue(d) { return String(exact) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let n = clua_format_double(d, buffer.baseAddress, 64)
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(n)), as: UTF8.self)
        }
    }

    /// `d` as an integer when `%.17g` would print it as one (no exponent, not `-0`).
    @inline(__always)
    static func integralValue(_ d: Double) -> Int64? {
        guard d == d.rounded(.towardZero), abs(d) < 1e15, !(d == 0 && d.sign == .minus) else { return nil }
        return Int64(d)
    }

    /// redis.call / pcall / acall / apcall.
    static func command(_ L: OpaquePointer, raise: Bool, async: Bool) -> Int32 {
        let state = LuaState.owner(of: L)
        guard let host = state.host else {
            state.pushErrorTable("ERR redis.call/pcall can only be called inside a script invocation", on: L)
            return -1
        }
        var stackCount: Int32 = 0, stackDiscarded: Int32 = 0
        let first = clua_arguments(L, &stackCount, &stackDiscarded)
        let argc = first != nil ? stackCount : lua_gettop(L)
        // Whether the caller drops the results is known only from the verified stack layout;
        // without it (the layout probe failed) the call counts as used: no API tells.
        let discarded = first != nil && stackDiscarded != 0
        if argc == 0 {
            state.pushErrorTable("ERR Please specify at least one argument for this redis lib call", on: L)
            return raise ? -1 : 1
        }
        // Arguments go into an array kept per argument count and overwritten in place: one
        // uniqueness check, then a store per argument (emptying the array and appending cost
        // a check, a count update and an outlined destroy per element). A host that kept the
        // array (the auto-async queue) makes the next call copy it, as value semantics say.
        let n = Int(argc)
        var argv: [ByteString] = []
        let pooled = n < state.argvByCount.count
        if pooled { swap(&argv, &state.argvByCount[n]) }
        defer { if pooled { swap(&argv, &state.argvByCount[n]) } }
        if argv.count != n { argv = [ByteString](repeating: ByteString(), count: n) }
        let converted = argv.withUnsafeMutableBufferPointer { buffer -> Bool in
            if let first { return convertFromStack(first, into: buffer) }
            var i: Int32 = 1
            while i <= argc {
                switch lua_type(L, i) {
                case LUA_TSTRING:
                    var length = 0
                    let p = lua_tolstring(L, i, &length)
                    buffer[Int(i) &- 1] = ByteString(UnsafeRawBufferPointer(start: p, count: length))
                case LUA_TNUMBER:
                    if lua_isinteger(L, i) != 0 {
                        buffer[Int(i) &- 1] = ByteString(Int64(lua_tointegerx(L, i, nil)))
                    } else {
                        let d = lua_tonumberx(L, i, nil)
                        if let exact = integralValue(d) {
                            buffer[Int(i) &- 1] = ByteString(exact)
                        } else {
                            buffer[Int(i) &- 1] = ByteString(formatDouble(d))
                        }
                    }
                default:
                    return false
                }
                i += 1
            }
            return true
        }
        guard converted else {
            lua_settop(L, 0)
            state.pushErrorTable("ERR Lua redis lib command arguments must be strings or integers", on: L)
            return raise ? -1 : 1
        }
        lua_settop(L, 0)
        if async {
            state.asyncQueued = true
            // An error here is a flush's (a queued `acall` failed) or this `acall`'s own:
            // either way the script stops, even when this call is an `apcall`.
            if let error = host.enqueue(argv, raising: raise) {
                state.push(error, on: L)
                return -1
            }
            return 0
        }
        // A synchronous call sees the effects of everything queued before it.
        if state.asyncQueued {
            state.asyncQueued = false
            if let error = host.flush() {
                state.push(error, on: L)
                return -1
            }
        }
        let reply = host.call(argv, protocolVersion: state.resp == 3 ? .resp3 : .resp2)
        if discarded {
            // A call statement: the value could never be seen, so it is not built (for a
            // status reply that is a table and its field, and later the collector's work).
            // An error from redis.call still raises.
            if raise, case .error = reply {
                state.push(reply, on: L)
                return -1
            }
            return 0
        }
        state.push(reply, on: L)
        if raise, case .error = reply { return -1 }
        return 1
    }

    /// The arguments read straight from the stack (see `clua_arguments`), with the same
    /// rules as the API path: strings as they are, numbers as Redis formats them,
    /// anything else refused.
    @inline(__always)
    private static func convertFromStack(_ first: UnsafePointer<clua_value_prefix>,
                                         into buffer: UnsafeMutableBufferPointer<ByteString>) -> Bool {
        for i in 0..<buffer.count {
            let value = clua_argument(first, Int32(i))!
            switch clua_value_tag(value) {
            case CLUA_TAG_SHORT_STRING, CLUA_TAG_LONG_STRING:
                var length = 0
                let p = clua_value_string(value, &length)
                buffer[i] = ByteString(UnsafeRawBufferPointer(start: p, count: length))
            case CLUA_TAG_INTEGER:
                buffer[i] = ByteString(clua_value_integer(value))
            case CLUA_TAG_FLOAT:
                let d = clua_value_number(value)
                if let exact = integralValue(d) {
                    buffer[i] = ByteString(exact)
                } else {
                    buffer[i] = ByteString(formatDouble(d))
                }
            default:
                return false
            }
        }
        return true
    }

    static func sha1hex(_ L: OpaquePointer) -> Int32 {
        let state = LuaState.owner(of: L)
        guard lua_gettop(L) == 1 else {
            state.pushErrorTable("ERR wrong number of arguments", on: L)
            return -1
        }
        var length = 0
        let digest: String
        if let p = lua_tolstring(L, 1, &length) {
            digest = SHA1.hex(UnsafeRawBufferPointer(start: p, count: length))
        } else {
            digest = SHA1.hex([])
        }
        lua_pushstring(L, digest)
        return 1
    }

    static func log(_ L: OpaquePointer) -> Int32 {
        let state = LuaState.owner(of: L)
        let argc = lua_gettop(L)
        if argc < 2 {
            state.pushErrorTable("ERR redis.log() requires two arguments or more.", on: L)
            return -1
        }
        guard lua_isnumber(L, 1) != 0 else {
            state.pushErrorTable("ERR First argument must be a number (log level).", on: L)
            return -1
        }
        let level = lua_tonumberx(L, 1, nil)
        guard level >= 0, level <= 3 else {
            state.pushErrorTable("ERR Invalid debug level.", on: L)
            return -1
        }
        var parts: [String] = []
        for i in 2...argc where lua_isstring(L, i) != 0 {
            var length = 0
            let p = lua_tolstring(L, i, &length)
            parts.append(String(decoding: UnsafeRawBufferPointer(start: p, count: length), as: UTF8.self))
        }
        let message = Logger.Message(stringLiteral: parts.joined(separator: " "))
        switch Int(level) {
        case 0: state.logger.debug(message)
        case 1: state.logger.info(message)
        case 2: state.logger.notice(message)
        default: state.logger.warning(message)
        }
        return 0
    }

    /// Accepted for compatibility; replication does not exist here.
    static func setRepl(_ L: OpaquePointer) -> Int32 {
        let state = LuaState.owner(of: L)
        guard lua_gettop(L) == 1 else {
            state.pushErrorTable("ERR redis.set_repl() requires two arguments.", on: L)
            return -1
        }
        let flags = Int(LuaState.truncate(lua_tonumberx(L, 1, nil)))
        guard flags & ~3 == 0 else {
            state.pushErrorTable("ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.", on: L)
            return -1
        }
        return 0
    }

    static func setresp(_ L: OpaquePointer) -> Int32 {
        let state = LuaState.owner(of: L)
        guard lua_gettop(L) == 1 else {
            state.pushErrorTable("ERR redis.setresp() requires one argument.", on: L)
            return -1
        }
        let version = lua_tonumberx(L, 1, nil)
        guard version == 2 || version == 3 else {
            state.pushErrorTable("ERR RESP version must be 2 or 3.", on: L)
            return -1
        }
        state.resp = Int32(version)
        return 0
    }
}
