/// The Lua code run once in every new state, before any script.
///
/// Why Lua and not C or Swift: everything here either raises Lua errors (sandbox
/// metamethods, argument checks) or is plain table plumbing. Written in Lua it can raise
/// freely, it never longjmps across a Swift frame, and the texts sit next to their checks.
///
/// The chunk receives the Swift host functions in a table and returns the pieces Swift
/// keeps in the registry (see `LuaState.install`):
/// - `errh`: the message handler of every run (adds `source`/`line` like Redis's
///   `__redis__err__handler`);
/// - `globals`: the real global table (KEYS/ARGV are raw-set there per run);
/// - `env`: the read-only proxy every chunk gets as `_ENV` (and `_G`);
/// - `load_library`: runs a function library's code in the restricted load environment and
///   returns the registered functions;
/// - `redis`: the real (unprotected) redis table, passed to scripts compiled with a local
///   `redis` (see ``RedisAlias``).
///
/// Globals follow Redis 7's allow list; `bit`, `struct` and `cmsgpack` are small Lua 5.4
/// implementations compatible with Redis's C modules (see Docs/Scripting-Differences.md).
enum LuaPrelude {
    static let chunkName = "=luastore"

    static let source = #"""
local host, version, version_num = ...
local debug_getinfo = debug.getinfo
local real_pcall, real_load, real_rawset, real_setmetatable = pcall, load, rawset, setmetatable
local type, tostring, error, select, next, rawget, ipairs, pairs =
      type, tostring, error, select, next, rawget, ipairs, pairs
local s_sub, s_find, s_gsub, s_pack, s_unpack, s_byte, s_char, s_format, s_rep =
      string.sub, string.find, string.gsub, string.pack, string.unpack, string.byte, string.char,
      string.format, string.rep
local m_type, m_floor, m_huge, t_concat, t_unpack = math.type, math.floor, math.huge, table.concat, table.unpack
local PRELUDE = "=luastore"

-- Message handler: like Redis's, the error becomes {err=..., source=..., line=...}; C
-- frames and this prelude's own frames are skipped so the position is the script's.
local function errh(err)
  local level, info = 2, nil
  while true do
    info = debug_getinfo(level, 'Sl')
    if not info then break end
    if info.what ~= 'C' and info.source ~= PRELUDE then break end
    level = level + 1
  end
  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  if info then
    real_rawset(err, 'source', info.source)
    real_rawset(err, 'line', info.currentline)
  end
  return err
end

local readonly = real_setmetatable({}, {__mode = 'k'})
local function readonly_error() error("Attempt to modify a readonly table", 2) end
local function protect(t)
  local p = real_setmetatable({}, {
    __index = t, __newindex = readonly_error, __metatable = false,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
  })
  readonly[p] = true
  return p
end
local function missing_global(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end

-- Redis's luaPushErrorBuff: "-CODE msg" keeps CODE, anything else gets ERR.
local function error_table(s)
  local code, msg = 'ERR', s
  if s_sub(s, 1, 1) == '-' then
    local sp = s_find(s, ' ', 1, true)
    if sp then code, msg = s_sub(s, 2, sp - 1), s_sub(s, sp + 1) else msg = s_sub(s, 2) end
  end
  msg = s_gsub(s_gsub(msg, '^[\r\n]+', ''), '[\r\n]+$', '')
  return {err = code .. ' ' .. msg}
end
local function raise(msg) error(error_table(msg)) end

----------------------------------------------------------------------------------------
-- bit (LuaBitOp-compatible: 32-bit, results are signed)
local function tobit(x)
  x = m_floor(x) & 0xffffffff
  if x >= 0x80000000 then x = x - 0x100000000 end
  return x
end
local function bitop(op)
  return function(a, ...)
    local r = m_floor(a)
    for i = 1, select('#', ...) do r = op(r, m_floor((select(i, ...)))) end
    return tobit(r)
  end
end
local bit = {
  tobit = tobit,
  bnot = function(x) return tobit(~m_floor(x)) end,
  band = bitop(function(a, b) return a & b end),
  bor = bitop(function(a, b) return a | b end),
  bxor = bitop(function(a, b) return a ~ b end),
  lshift = function(x, n) return tobit((m_floor(x) & 0xffffffff) << (m_floor(n) & 31)) end,
  rshift = function(x, n) return tobit((m_floor(x) & 0xffffffff) >> (m_floor(n) & 31)) end,
  arshift = function(x, n)
    local v, s = tobit(x), m_floor(n) & 31
    if v >= 0 then return tobit(v >> s) end
    return tobit(~((~v) >> s))
  end,
  rol = function(x, n)
    local v, s = m_floor(x) & 0xffffffff, m_floor(n) & 31
    return tobit((v << s) | (v >> (32 - s)))
  end,
  ror = function(x, n)
    local v, s = m_floor(x) & 0xffffffff, m_floor(n) & 31
    return tobit((v >> s) | (v << (32 - s)))
  end,
  tohex = function(x, n)
    n = n == nil and 8 or m_floor(n)
    local hexdigits = '0123456789abcdef'
    if n < 0 then n = -n; hexdigits = '0123456789ABCDEF' end
    if n > 8 then n = 8 end
    local v, out = m_floor(x) & 0xffffffff, {}
    for i = n, 1, -1 do
      local d = v & 0xf
      out[i] = s_sub(hexdigits, d + 1, d + 1)
      v = v >> 4
    end
    return t_concat(out)
  end,
}

----------------------------------------------------------------------------------------
-- struct (Roberto Ierusalimschy's library, as Redis ships it): translated to string.pack.
-- Differences handled: 's' is a zero-terminated string ('z'), numbers are truncated to
-- integers for integer formats, 'c0' takes the size from the previous value.
local function struct_format(fmt)
  local out, i, n = {}, 1, #fmt
  while i <= n do
    local c = s_sub(fmt, i, i)
    local digits = s_find(fmt, '^%d+', i + 1)
    local size = ''
    if digits then
      local _, e = s_find(fmt, '^%d+', i + 1)
      size = s_sub(fmt, i + 1, e)
      i = e
    end
    if c == 's' then c = 'z' end
    if c == 'i' or c == 'I' or c == 'c' or c == '!' then out[#out + 1] = c .. size
    else out[#out + 1] = c end
    i = i + 1
  end
  return t_concat(out)
end
local integer_formats = {b = true, B = true, h = true, H = true, l = true, L = true, T = true, i = true, I = true, j = true, J = true}
local struct = {
  pack = function(fmt, ...)
    local args, ai, pfmt = {...}, 1, struct_format(fmt)
    for c in pfmt:gmatch('%a') do
      if c ~= 'x' then
        if integer_formats[c] and type(args[ai]) == 'number' then args[ai] = m_floor(args[ai]) end
        ai = ai + 1
      end
    end
    return s_pack(pfmt, t_unpack(args, 1, ai - 1))
  end,
  unpack = function(fmt, data, pos) return s_unpack(struct_format(fmt), data, pos) end,
  size = function(fmt) return string.packsize(struct_format(fmt)) end,
}

----------------------------------------------------------------------------------------
-- cmsgpack (pack/unpack compatible with Redis's lua_cmsgpack: arrays for tables whose keys
-- are 1..n, maps otherwise, smallest encodings).
local mp_pack
local function is_array(t)
  local n = 0
  for k in next, t do
    if m_type(k) ~= 'integer' or k < 1 then return false end
    n = n + 1
  end
  for i = 1, n do if rawget(t, i) == nil then return false end end
  return true, n
end
local function pack_int(v)
  if v >= 0 then
    if v < 128 then return s_char(v)
    elseif v < 256 then return s_pack('>BB', 0xcc, v)
    elseif v < 65536 then return s_pack('>BI2', 0xcd, v)
    elseif v < 4294967296 then return s_pack('>BI4', 0xce, v)
    else return s_pack('>Bj', 0xcf, v) end
  else
    if v >= -32 then return s_pack('>b', v)
    elseif v >= -128 then return s_pack('>Bb', 0xd0, v)
    elseif v >= -32768 then return s_pack('>Bi2', 0xd1, v)
    elseif v >= -2147483648 then return s_pack('>Bi4', 0xd2, v)
    else return s_pack('>Bj', 0xd3, v) end
  end
end
mp_pack = function(v, depth)
  local t = type(v)
  if t == 'nil' then return '\xc0'
  elseif t == 'boolean' then return v and '\xc3' or '\xc2'
  elseif t == 'number' then
    if m_type(v) == 'integer' then return pack_int(v) end
    if v == m_floor(v) and v >= -9.2e18 and v <= 9.2e18 then return pack_int(m_floor(v)) end
    if s_unpack('f', s_pack('f', v)) == v then return s_pack('>Bf', 0xca, v) end
    return s_pack('>Bd', 0xcb, v)
  elseif t == 'string' then
    local n = #v
    if n < 32 then return s_char(0xa0 | n) .. v
    elseif n < 256 then return s_pack('>BB', 0xd9, n) .. v
    elseif n < 65536 then return s_pack('>BI2', 0xda, n) .. v
    else return s_pack('>BI4', 0xdb, n) .. v end
  elseif t == 'table' then
    if depth > 16 then return '\xc0' end
    local arr, n = is_array(v)
    local out = {}
    if arr then
      if n < 16 then out[1] = s_char(0x90 | n)
      elseif n < 65536 then out[1] = s_pack('>BI2', 0xdc, n)
      else out[1] = s_pack('>BI4', 0xdd, n) end
      for i = 1, n do out[#out + 1] = mp_pack(v[i], depth + 1) end
    else
      local count = 0
      for k, val in next, v do
        out[#out + 1] = mp_pack(k, depth + 1)
        out[#out + 1] = mp_pack(val, depth + 1)
        count = count + 1
      end
      local head
      if count < 16 then head = s_char(0x80 | count)
      elseif count < 65536 then head = s_pack('>BI2', 0xde, count)
      else head = s_pack('>BI4', 0xdf, count) end
      table.insert(out, 1, head)
    end
    return t_concat(out)
  end
  return '\xc0'
end
local mp_decode
local function decode_n(data, pos, n, container)
  local t = {}
  for i = 1, n do
    if container == 'map' then
      local k, v
      k, pos = mp_decode(data, pos)
      v, pos = mp_decode(data, pos)
      if k ~= nil then t[k] = v end
    else
      t[i], pos = mp_decode(data, pos)
    end
  end
  return t, pos
end
mp_decode = function(data, pos)
  local b = s_byte(data, pos)
  if b == nil then error("Missing bytes in input.") end
  pos = pos + 1
  if b < 0x80 then return b, pos
  elseif b >= 0xe0 then return b - 256, pos
  elseif b & 0xe0 == 0xa0 then local n = b & 0x1f; return s_sub(data, pos, pos + n - 1), pos + n
  elseif b & 0xf0 == 0x90 then return decode_n(data, pos, b & 0x0f, 'array')
  elseif b & 0xf0 == 0x80 then return decode_n(data, pos, b & 0x0f, 'map')
  elseif b == 0xc0 then return nil, pos
  elseif b == 0xc2 then return false, pos
  elseif b == 0xc3 then return true, pos
  elseif b == 0xca then return s_unpack('>f', data, pos)
  elseif b == 0xcb then return s_unpack('>d', data, pos)
  elseif b == 0xcc then return s_unpack('>B', data, pos)
  elseif b == 0xcd then return s_unpack('>I2', data, pos)
  elseif b == 0xce then return s_unpack('>I4', data, pos)
  elseif b == 0xcf then return s_unpack('>J', data, pos)
  elseif b == 0xd0 then return s_unpack('>b', data, pos)
  elseif b == 0xd1 then return s_unpack('>i2', data, pos)
  elseif b == 0xd2 then return s_unpack('>i4', data, pos)
  elseif b == 0xd3 then return s_unpack('>j', data, pos)
  elseif b == 0xd9 or b == 0xc4 then local n; n, pos = s_unpack('>B', data, pos); return s_sub(data, pos, pos + n - 1), pos + n
  elseif b == 0xda or b == 0xc5 then local n; n, pos = s_unpack('>I2', data, pos); return s_sub(data, pos, pos + n - 1), pos + n
  elseif b == 0xdb or b == 0xc6 then local n; n, pos = s_unpack('>I4', data, pos); return s_sub(data, pos, pos + n - 1), pos + n
  elseif b == 0xdc then local n; n, pos = s_unpack('>I2', data, pos); return decode_n(data, pos, n, 'array')
  elseif b == 0xdd then local n; n, pos = s_unpack('>I4', data, pos); return decode_n(data, pos, n, 'array')
  elseif b == 0xde then local n; n, pos = s_unpack('>I2', data, pos); return decode_n(data, pos, n, 'map')
  elseif b == 0xdf then local n; n, pos = s_unpack('>I4', data, pos); return decode_n(data, pos, n, 'map')
  end
  error("Bad data format in input.")
end
local cmsgpack = {
  pack = function(...)
    local n = select('#', ...)
    if n == 0 then error("MessagePack pack needs input.") end
    local out = {}
    for i = 1, n do out[i] = mp_pack((select(i, ...)), 0) end
    return t_concat(out)
  end,
  unpack = function(data)
    local results, pos, n = {}, 1, 0
    while pos <= #data do
      n = n + 1
      results[n], pos = mp_decode(data, pos)
    end
    return t_unpack(results, 1, n)
  end,
}

----------------------------------------------------------------------------------------
-- The redis table.
local redis = {
  call = host.call, pcall = host.pcall, acall = host.acall, apcall = host.apcall,
  sha1hex = host.sha1hex, log = host.log, setresp = host.setresp,
  error_reply = function(...)
    local e = ...
    if select('#', ...) ~= 1 or type(e) ~= 'string' then return error_table('wrong number or type of arguments') end
    if s_sub(e, 1, 1) ~= '-' then e = '-' .. e end
    return error_table(e)
  end,
  status_reply = function(...)
    local s = ...
    if select('#', ...) ~= 1 or type(s) ~= 'string' then return error_table('wrong number or type of arguments') end
    return {ok = s}
  end,
  set_repl = host.set_repl,
  replicate_commands = function() return true end,
  breakpoint = function() return false end,
  debug = function() end,
  REDIS_VERSION = version, REDIS_VERSION_NUM = version_num,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
}

----------------------------------------------------------------------------------------
-- Globals: Redis 7's allow list, with 5.1 names scripts still use.
local math_lib = {}
for k, v in pairs(math) do math_lib[k] = v end
math_lib.pow = function(x, y) return x ^ y end
local table_lib = {}
for k, v in pairs(table) do table_lib[k] = v end
table_lib.getn = function(t) return #t end
table_lib.maxn = function(t)
  local m = 0
  for k in next, t do if type(k) == 'number' and k > m then m = k end end
  return m
end
local string_lib = {}
for k, v in pairs(string) do string_lib[k] = v end

local function fix_pcall(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' then
    local m = rawget(e, 'err')
    if type(m) == 'string' or type(m) == 'number' then return false, m end
  end
  return false, e
end

local G = {
  assert = assert, collectgarbage = collectgarbage, coroutine = protect(coroutine), error = error,
  getmetatable = getmetatable, ipairs = ipairs, next = next, pairs = pairs,
  rawequal = rawequal, rawget = rawget, rawlen = rawlen, select = select,
  tonumber = tonumber, tostring = tostring, type = type, xpcall = xpcall, _VERSION = _VERSION,
  unpack = table.unpack,
  gcinfo = function() return m_floor(collectgarbage('count')) end,
  pcall = function(...) return fix_pcall(real_pcall(...)) end,
  rawset = function(t, k, v)
    if readonly[t] then error("Attempt to modify a readonly table", 2) end
    return real_rawset(t, k, v)
  end,
  -- No finalizers: Lua 5.4 runs __gc of tables (Redis's 5.1 never does), at any later
  -- collection, with hooks off, on whichever run is in progress, or in lua_close. An
  -- object is marked for finalization only when setmetatable sees a __gc field (raw
  -- lookup, any non-nil value), and this is the only way a script can set a metatable.
  setmetatable = function(t, mt)
    if readonly[t] then error("Attempt to modify a readonly table", 2) end
    if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
      error("Attempt to set a metatable with a __gc field: scripts cannot install finalizers", 2)
    end
    return real_setmetatable(t, mt)
  end,
  -- Text chunks only: a binary chunk is the classic sandbox escape.
  load = function(chunk, name, mode, env)
    if select('#', chunk, name, mode, env) >= 4 and env ~= nil then
      return real_load(chunk, name, 't', env)
    end
    return real_load(chunk, name, 't')
  end,
  loadstring = function(s, name) return real_load(s, name, 't') end,
  string = protect(string_lib), table = protect(table_lib), math = protect(math_lib),
  cjson = protect(cjson), bit = protect(bit), struct = protect(struct), cmsgpack = protect(cmsgpack),
  os = protect({clock = os.clock}),
  redis = protect(redis),
}
real_setmetatable(G, {__index = missing_global, __newindex = readonly_error, __metatable = false})
local env = real_setmetatable({}, {__index = G, __newindex = readonly_error, __metatable = false})
readonly[env] = true
real_rawset(G, '_G', env)
-- Strings index the protected string table, and getmetatable('') cannot reach the real one.
local string_mt = getmetatable('')
string_mt.__index = G.string
string_mt.__metatable = G.string

----------------------------------------------------------------------------------------
-- Function libraries (FUNCTION LOAD): the code runs with only a restricted `redis` table.
local function_flags = {
  ['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true, ['no-cluster'] = true,
  ['allow-cross-slot-keys'] = true, ['allow-undeclared-keys'] = true, ['disable-atomicity'] = true,
}
local function valid_name(n) return #n > 0 and not s_find(n, '[^%w_]') end
local collector = nil
local function register_function(...)
  local c = collector
  if not c then raise("redis.register_function can only be called on FUNCTION LOAD command") end
  local argc, name, callback, flags, description = select('#', ...), nil, nil, nil, nil
  if argc == 1 then
    local t = ...
    if type(t) ~= 'table' then
      raise("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
    end
    for k, v in next, t do
      if k == 'function_name' then
        if type(v) ~= 'string' then raise("function_name argument given to redis.register_function must be a string") end
        name = v
      elseif k == 'callback' then
        if type(v) ~= 'function' then raise("callback argument given to redis.register_function must be a function") end
        callback = v
      elseif k == 'flags' then
        if type(v) ~= 'table' then raise("flags argument to redis.register_function must be a table representing function flags") end
        flags = v
      elseif k == 'description' then
        if type(v) ~= 'string' then raise("description argument given to redis.register_function must be a string") end
        description = v
      else
        raise("unknown argument given to redis.register_function")
      end
    end
    if not name then raise("redis.register_function must get a function name argument") end
    if not callback then raise("redis.register_function must get a callback argument") end
  elseif argc == 2 then
    name, callback = ...
    if type(name) ~= 'string' then raise("first argument to redis.register_function must be a string") end
    if type(callback) ~= 'function' then raise("second argument to redis.register_function must be a function") end
  else
    raise("wrong number of arguments to redis.register_function")
  end
  local flag_list = {}
  if flags then
    for _, f in next, flags do
      if type(f) ~= 'string' or not function_flags[f] then raise("unknown flag given") end
      flag_list[#flag_list + 1] = f
    end
  end
  if not valid_name(name) then
    raise("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
  end
  if c.names[name] then raise("Function already exists in the library") end
  c.names[name] = true
  c.list[#c.list + 1] = {name = name, callback = callback, flags = flag_list, description = description}
end
local load_env = real_setmetatable({
  -- Unlike the run-time one, Redis's load-time redis table errors on missing fields.
  redis = protect(real_setmetatable({
    register_function = register_function, log = host.log,
    LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
    REDIS_VERSION = version, REDIS_VERSION_NUM = version_num,
  }, {__index = missing_global})),
}, {__index = missing_global, __newindex = readonly_error, __metatable = false})

-- Returns the list of registered functions, or nil, kind ('compile'|'run'), error.
local function load_library(code)
  local mt = {__index = load_env, __newindex = readonly_error, __metatable = false}
  local lib_env = real_setmetatable({}, mt)
  local chunk, cerr = real_load(code, '@user_function', 't', lib_env)
  if not chunk then return nil, 'compile', cerr end
  collector = {names = {}, list = {}}
  local ok, err = xpcall(chunk, errh)
  local list = collector.list
  collector = nil
  if not ok then return nil, 'run', err end
  mt.__index = G -- from now on the functions see the script globals
  return list
end

return errh, G, env, load_library, redis
"""#
}
