/* Lua 5.4 headers and prefixed shims for its macros (all lua_* use stays in LuaStoreScripting). */
#pragma once
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <lua-cjson.h>

