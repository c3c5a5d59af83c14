import CLua
import CLuaRun
import LuaStoreCore

/// Reply <-> Lua value conversions, as Redis 7's script_lua.c does them.
///
/// Both directions use only raw table access (no metamethods can run) and run while the
/// allocator is unlimited, so nothing here can raise a Lua error into Swift.
extension LuaState {
    /// Nesting deeper than this is refused (Redis is bounded by its C stack).
    static let maxDepth = 1000

    // MARK: Reply -> Lua

    /// Pushes `reply` as a Lua value for the script's current protocol (`redis.setresp`) on
    /// `L`: this state or one of its coroutines (the thread a host function was called on).
    func push(_ reply: Reply, on L: OpaquePointer, depth: Int = 0) {
        guard depth < Self.maxDepth, lua_checkstack(L, 4) != 0 else {
            pushErrorTable("ERR reached lua stack limit", on: L)
            return
        }
        switch reply {
        case .status(let text):
            lua_createtable(L, 0, 1)
            pushString(text, on: L)
            lua_setfield(L, -2, "ok")
        case .error(let line):
            pushErrorTable(RedisAPI.errorText(fromReply: reply, line: line), on: L)
        case .integer(let value):
            lua_pushinteger(L, lua_Integer(value))
        case .bulk(let bytes):
            pushBytes(bytes, on: L)
        case .null, .nullArray:
            if resp == 3 { lua_pushnil(L) } else { lua_pushboolean(L, 0) }
        case .array(let items):
            pushList(items, on: L, depth: depth)
        case .map(let entries):
            if resp == 3 {
                lua_createtable(L, 0, 1)
                lua_createtable(L, 0, Int32(clamping: entries.count))
                for entry in entries {
                    push(entry.key, on: L, depth: depth + 1)
                    push(entry.value, on: L, depth: depth + 1)
                    lua_rawset(L, -3)
                }
                lua_setfield(L, -2, "map")
            } else {
                lua_createtable(L, Int32(clamping: entries.count * 2), 0)
                var i: lua_Integer = 1
                for entry in entries {
                    push(entry.key, on: L, depth: depth + 1)
                    lua_rawseti(L, -2, i)
                    push(entry.value, on: L, depth: depth + 1)
                    lua_rawseti(L, -2, i + 1)
                    i += 2
                }
            }
        case .set(let items):
            if resp == 3 {
                lua_createtable(L, 0, 1)
                lua_createtable(L, 0, Int32(clamping: items.count))
                for item in items {
                    push(item, on: L, depth: depth + 1)
                    lua_pushboolean(L, 1)
                    lua_rawset(L, -3)
                }
                lua_setfield(L, -2, "set")
            } else {
                pushList(items, on: L, depth: depth)
            }
        case .double(let value):
            if resp == 3 {
                lua_createtable(L, 0, 1)
                lua_pushnumber(L, value)
                lua_setfield(L, -2, "double")
            } else {
                pushBytes(ByteString(RedisAPI.formatDouble(value)), on: L)
            }
        case .boolean(let value):
            if resp == 3 { lua_pushboolean(L, value ? 1 : 0) } else { lua_pushinteger(L, value ? 1 : 0) }
        case .bigNumber(let text):
            if resp == 3 {
                lua_createtable(L, 0, 1)
                pushString(text, on: L)
                lua_setfield(L, -2, "big_number")
            } else {
                pushString(text, on: L)
            }
        case .verbatim(let format, let text):
            if resp == 3 {
                lua_createtable(L, 0, 1)
                lua_createtable(L, 0, 2)
                pushString(format, on: L)
                lua_setfield(L, -2, "format")
                pushString(text, on: L)
                lua_setfield(L, -2, "string")
                lua_setfield(L, -2, "verbatim_string")
            } else {
                pushString(text, on: L)
            }
        }
    }

    private func pushList(_ items: [Reply], on L: OpaquePointer, depth: Int) {
        lua_createtable(L, Int32(clamping: items.count), 0)
        for (i, item) in items.enumerated() {
            push(item, on: L, depth: depth + 1)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
    }

    /// Pushes `text`'s UTF-8 bytes. (Passing a `String` where C wants a `char *` copies a
    /// small string to the heap to get a stable pointer: a malloc and free per reply.)
    @inline(__always)
    func pushString(_ text: String, on L: OpaquePointer) {
        var text = text
        text.withUTF8 { b in
            _ = lua_pushlstring(L, UnsafeRawPointer(b.baseAddress)?.assumingMemoryBound(to: CChar.self), b.count)
        }
    }

    func pushBytes(_ bytes: ByteString, on L: OpaquePointer) {
        bytes.withUnsafeBytes { b in
            _ = lua_pushlstring(L, b.baseAddress?.assumingMemoryBound(to: CChar.self), b.count)
        }
    }

    /// `{err = text}`: how Redis hands errors to Lua.
    func pushErrorTable(_ text: String, on L: OpaquePointer) {
        lua_createtable(L, 0, 1)
        pushString(text, on: L)
        lua_setfield(L, -2, "err")
    }

    // MARK: Lua -> Reply

    /// Converts the value at `index` (absolute) into a reply, as `luaReplyToRedisReply`.
    func toReply(index: Int32, depth: inout Int) -> Reply {
        guard depth < Self.maxDepth, lua_checkstack(L, 4) != 0 else {
            return .error("ERR reached lua stack limit")
        }
        switch lua_type(L, index) {
        case LUA_TSTRING:
            var length = 0
            let p = lua_tolstring(L, index, &length)
            return .bulk(ByteString(UnsafeRawBufferPointer(start: p, count: length)))
        case LUA_TBOOLEAN:
            let value = lua_toboolean(L, index) != 0
            if resp == 2 { return value ? .integer(1) : .null }
            return .boolean(value)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(Int64(lua_tointegerx(L, index, nil))) }
            return .integer(Self.truncate(lua_tonumberx(L, index, nil)))
        case LUA_TTABLE:
            depth += 1
            defer { depth -= 1 }
            return tableToReply(index: index, depth: &depth)
        default:
            return .null
        }
    }

    /// C's `(long long)d` on x86-64 gives INT64_MIN for NaN and out-of-range values.
    static func truncate(_ d: Double) -> Int64 {
        guard d.isFinite, d > -9.223372036854775808e18, d < 9.223372036854775808e18 else { return Int64.min }
        return Int64(d.rounded(.towardZero))
    }

    private func field(_ key: String, of index: Int32) -> Int32 {
        pushString(key, on: L)
        return lua_rawget(L, index)
    }

    private func tableToReply(index: Int32, depth: inout Int) -> Reply {
        if field("err", of: index) == LUA_TSTRING {
            let text = String(cString: clua_tostring(L, -1))
            clua_pop(L, 1)
            return .error(LuaState.oneLine(text))
        }
        clua_pop(L, 1)
        if field("ok", of: index) == LUA_TSTRING {
            let text = String(cString: clua_tostring(L, -1))
            clua_pop(L, 1)
            return .status(LuaState.oneLine(text))
        }
        clua_pop(L, 1)
        if field("double", of: index) == LUA_TNUMBER {
            let value = lua_tonumberx(L, -1, nil)
            clua_pop(L, 1)
            return .double(value)
        }
        clua_pop(L, 1)
        if field("big_number", of: index) == LUA_TSTRING {
            let text = String(cString: clua_tostring(L, -1))
            clua_pop(L, 1)
            return .bigNumber(LuaState.oneLine(text))
        }
        clua_pop(L, 1)
        if field("verbatim_string", of: index) == LUA_TTABLE {
            let top = lua_gettop(L)
            if field("format", of: top) == LUA_TSTRING {
                let format = String(cString: clua_tostring(L, -1))
                if field("string", of: top) == LUA_TSTRING {
                    var length = 0
                    let p = lua_tolstring(L, -1, &length)
                    let text = String(decoding: UnsafeRawBufferPointer(start: p, count: length), as: UTF8.self)
                    lua_settop(L, top - 1)
                    return .verbatim(format: format, text: text)
                }
            }
            lua_settop(L, top)
        }
        clua_pop(L, 1)
        if field("map", of: index) == LUA_TTABLE {
            let map = lua_gettop(L)
            var entries: [Reply.MapEntry] = []
            lua_pushnil(L)
            while lua_next(L, map) != 0 {
                let top = lua_gettop(L)
                let key = toReply(index: top - 1, depth: &depth)
                let value = toReply(index: top, depth: &depth)
                entries.append(Reply.MapEntry(key: key, value: value))
                clua_pop(L, 1)
            }
            clua_pop(L, 1)
            return .map(entries)
        }
        clua_pop(L, 1)
        if field("set", of: index) == LUA_TTABLE {
            let set = lua_gettop(L)
            var items: [Reply] = []
            lua_pushnil(L)
            while lua_next(L, set) != 0 {
                items.append(toReply(index: lua_gettop(L) - 1, depth: &depth))
                clua_pop(L, 1)
            }
            clua_pop(L, 1)
            return .set(items)
        }
        clua_pop(L, 1)
        var items: [Reply] = []
        var i: lua_Integer = 1
        while lua_rawgeti(L, index, i) != LUA_TNIL {
            items.append(toReply(index: lua_gettop(L), depth: &depth))
            clua_pop(L, 1)
            i += 1
        }
        clua_pop(L, 1)
        return .array(items)
    }
}
