/* Lua 5.4 and Debian's lua-cjson, as the system installs them (pkg-config lua5.4-cjson).
 * LuaStore's own C (macro wrappers, the allocator, the trampoline, run control) is the
 * CLuaRun target; its headers are in Sources/CLuaRun/include. */
#pragma once
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <lua-cjson.h>
