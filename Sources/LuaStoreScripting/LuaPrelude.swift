/// The Lua code run once in every new state, before any script.
///
/// Why Lua and not C or Swift: everything here either raises Lua errors (sandbox
/// metamethods, argument checks) or is plain table plumbing. Written in Lua it can raise
/// freely, it never longjmps across a Swift frame, and the texts sit next to their checks.
///
/// The chunk receives the host functions in a table (the Swift ones of ``RedisAPI`` and the
/// C helper `clike`, see `clua_add_prelude_helpers`) and returns the pieces Swift keeps in
/// the registry (see `LuaState.install`):
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
-- The walk is bounded: a handler that runs for the stop error runs with hooks off, so
-- nothing could stop it, and each getinfo walks the stack from its top (a walk past n
-- frames costs n^2/2 steps). Past the bound the error has no position; C calls nest at
-- most 200 deep and the prelude's own recursion (cmsgpack.pack) 17.
local ERRH_MAX_LEVEL = 1000
local function errh(err)
  local level, info = 2, nil
  while level <= ERRH_MAX_LEVEL do
    info = debug_getinfo(level, 'Sl')
    if not info then break end
    if info.what ~= 'C' and info.source ~= PRELUDE then break end
    level = level + 1
  end
  if level > ERRH_MAX_LEVEL then info = nil end
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
-- unpack decodes as Redis's lua_cmsgpack does, and fails at the same points with the same
-- texts: a truncated input, an unknown type byte (bin, ext and 0xc1 included), a nil or
-- NaN map key, and the overflow of the C function's Lua 5.1 stack (8000 slots,
-- LUAI_MAXCSTACK), which is what bounds nesting there: `top` counts the slots Redis's
-- decoder would hold (the arguments, the values decoded so far, each open array's table
-- and index, each open map's table and key). The decoder is a loop with an explicit stack
-- of open containers, not a recursion: a nesting bomb fails at that bound, and any error
-- is raised a few frames above the script's, where the message handler finds it at once.
local MP_STACK = 8000
local MP_EOF, MP_BADFMT = 'Missing bytes in input.', 'Bad data format in input.'
local MP_TOO_MANY = 'stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)'
local MP_ARRAY_DEPTH = 'stack overflow (in function mp_decode_to_lua_array)'

-- Decodes the value at `pos`: returns it, the next position and the slot count; or nil,
-- nil, nil, the error and whether the error takes the caller's position.
local function mp_decode_one(data, pos, len, top)
  local depth = 0
  local tabs, arrays, lefts, indexes, keys, keyed = {}, {}, {}, {}, {}, {}
  while true do
    -- One item (Redis: mp_decode_to_lua_type).
    if pos > len then return nil, nil, nil, MP_EOF, true end
    if top + 1 > MP_STACK then return nil, nil, nil, MP_TOO_MANY, true end
    local left = len - pos + 1
    local b = s_byte(data, pos)
    local v, count, as_array = nil, nil, nil
    if b < 0x80 then v = b; pos = pos + 1
    elseif b >= 0xe0 then v = b - 256; pos = pos + 1
    elseif b >= 0xa0 and b <= 0xbf then
      local n = b - 0xa0
      if left < 1 + n then return nil, nil, nil, MP_EOF, true end
      v = s_sub(data, pos + 1, pos + n); pos = pos + 1 + n
    elseif b >= 0x90 and b <= 0x9f then count, as_array = b - 0x90, true; pos = pos + 1
    elseif b >= 0x80 and b <= 0x8f then count, as_array = b - 0x80, false; pos = pos + 1
    elseif b == 0xc0 then pos = pos + 1
    elseif b == 0xc2 then v = false; pos = pos + 1
    elseif b == 0xc3 then v = true; pos = pos + 1
    elseif b == 0xcc or b == 0xd0 then
      if left < 2 then return nil, nil, nil, MP_EOF, true end
      v = s_unpack(b == 0xcc and 'B' or 'b', data, pos + 1); pos = pos + 2
    elseif b == 0xcd or b == 0xd1 then
      if left < 3 then return nil, nil, nil, MP_EOF, true end
      v = s_unpack(b == 0xcd and '>I2' or '>i2', data, pos + 1); pos = pos + 3
    elseif b == 0xce or b == 0xd2 or b == 0xca then
      if left < 5 then return nil, nil, nil, MP_EOF, true end
      v = s_unpack(b == 0xce and '>I4' or b == 0xd2 and '>i4' or '>f', data, pos + 1); pos = pos + 5
    elseif b == 0xcf or b == 0xd3 or b == 0xcb then
      if left < 9 then return nil, nil, nil, MP_EOF, true end
      v = s_unpack(b == 0xcf and '>J' or b == 0xd3 and '>j' or '>d', data, pos + 1); pos = pos + 9
    elseif b == 0xd9 or b == 0xda or b == 0xdb then
      local head = b == 0xd9 and 2 or b == 0xda and 3 or 5
      if left < head then return nil, nil, nil, MP_EOF, true end
      local n = s_unpack(b == 0xd9 and 'B' or b == 0xda and '>I2' or '>I4', data, pos + 1)
      if left < head + n then return nil, nil, nil, MP_EOF, true end
      v = s_sub(data, pos + head, pos + head + n - 1); pos = pos + head + n
    elseif b >= 0xdc and b <= 0xdf then
      local head = (b == 0xdc or b == 0xde) and 3 or 5
      if left < head then return nil, nil, nil, MP_EOF, true end
      count = s_unpack(head == 3 and '>I2' or '>I4', data, pos + 1)
      as_array = b <= 0xdd
      pos = pos + head
    else
      return nil, nil, nil, MP_BADFMT, true
    end
    top = top + 1                                  -- the value, or the new table
    local open = false
    if count ~= nil then
      v = {}
      if as_array and top + 1 > MP_STACK then return nil, nil, nil, MP_ARRAY_DEPTH, true end
      if count > 0 then
        depth = depth + 1
        tabs[depth], arrays[depth], lefts[depth], indexes[depth], keyed[depth] = v, as_array, count, 1, false
        if as_array then top = top + 1 end         -- the index of its first element
        open = true
      end
    end
    -- A complete value: store it in the containers it completes.
    while not open do
      if depth == 0 then return v, pos, top end
      local t = tabs[depth]
      if arrays[depth] then
        t[indexes[depth]] = v
        indexes[depth] = indexes[depth] + 1
        top = top - 2
      elseif not keyed[depth] then
        keys[depth], keyed[depth] = v, true        -- the key waits for its value
        break
      else
        local k = keys[depth]
        if k == nil then return nil, nil, nil, 'table index is nil', false end
        if k ~= k then return nil, nil, nil, 'table index is NaN', false end
        t[k] = v
        keys[depth], keyed[depth] = nil, false
        top = top - 2
      end
      local remaining = lefts[depth] - 1
      lefts[depth] = remaining
      if remaining > 0 then
        if arrays[depth] then top = top + 1 end
        break
      end
      tabs[depth] = nil
      depth = depth - 1
      v = t                                        -- the finished table keeps its slot
    end
  end
end

-- Returns true and the values, or false, the error and whether it takes the position.
local function mp_unpack(...)
  local data, nargs = ..., select('#', ...)
  local kind = type(data)
  if kind == 'number' then
    data = tostring(data)
  elseif kind ~= 'string' then
    return false, "bad argument #1 to 'unpack' (string expected, got " .. (nargs == 0 and 'no value' or kind) .. ')', true
  end
  local len, pos, top, results, n = #data, 1, nargs, {}, 0
  while pos <= len do
    local v, next_pos, next_top, err, positioned = mp_decode_one(data, pos, len, top)
    if next_pos == nil then return false, err, positioned end
    n = n + 1
    results[n], pos, top = v, next_pos, next_top
  end
  return true, t_unpack(results, 1, n)
end

-- Both raise through host.clike: at the calling script's position, as a C library does.
local cmsgpack = {
  pack = host.clike(function(...)
    local n = select('#', ...)
    if n == 0 then return false, "bad argument #0 to 'pack' (MessagePack pack needs input.)", true end
    local out = {}
    for i = 1, n do out[i] = mp_pack((select(i, ...)), 0) end
    return true, t_concat(out)
  end),
  unpack = host.clike(mp_unpack),
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
    if type(t) == 'table' and type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
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
