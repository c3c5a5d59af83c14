/* cjson in the sandbox: the same module, with two limits its C code does not have.
 *
 * - Nesting depth. cjson recurses in C once per nesting level, up to the configured
 *   encode_max_depth / decode_max_depth (1000 by default, and a script may raise them).
 *   Under Redis's Lua 5.1 a deeper level fails anyway near 8000, when lua_checkstack
 *   refuses; Lua 5.4 allows a million stack slots, so a raised limit let a script recurse
 *   until the thread's C stack overflowed and the process crashed. The setters are capped
 *   at CJSON_MAX_DEPTH, cjson's own default, whose recursion fits small thread stacks.
 * - Output size. cjson.encode writes into a malloc'd buffer, outside the state's memory
 *   cap, and a table that holds the same subtable twice per level is written out once per
 *   path: 20 levels of {t, t} around a 1 MB string is a terabyte, which cjson would try
 *   to build, in C, where no stop lands. The sandbox's encode first walks the value (in
 *   cjson's order, as deep as cjson would go) adding up a lower bound of the output, and
 *   fails as an allocation past the cap would when the bound exceeds what the state may
 *   still allocate. The walk polls the stop (clua_run_should_stop), so without a cap the
 *   time limit still ends it; the encoding that follows a walk is linear in its length.
 *
 * The wrappers call cjson's C function directly, in their own frame: cjson reads its
 * configuration from upvalue 1, which they share, and its errors then name the function
 * and give the script's position exactly as unwrapped. They are installed only on
 * functions with that layout (a C closure with one userdata upvalue). */
#include "clua_run.h"
#include "clua_shim.h"

#include <limits.h>
#include <stdint.h>

/* Lua errors unwind every function here (see CLUA_UNWOUND_BY_LUA in clua_shim.h). */
#ifdef CLUA_UNDER_TSAN
#pragma clang attribute push (__attribute__((disable_sanitizer_instrumentation)), apply_to = function)
#endif

#define CJSON_MAX_DEPTH 1000
#define WALK_POLL_EVERY 4096

typedef int (*cjson_function)(lua_State *L);

/* The wrapped function, called in this frame (upvalue 2 holds its C function). */
static int call_wrapped(lua_State *L) {
    cjson_function f = (cjson_function)lua_touserdata(L, lua_upvalueindex(2));
    return f(L);
}

/* encode_max_depth / decode_max_depth: a value above the cap sets the cap. Anything
 * cjson would refuse (not an integer, out of its range) goes through unchanged. */
static int capped_depth(lua_State *L) {
    if (!lua_isnoneornil(L, 1)) {
        int isnum = 0;
        lua_Integer n = lua_tointegerx(L, 1, &isnum);
        if (isnum && n > CJSON_MAX_DEPTH && n <= INT_MAX) {
            lua_pushinteger(L, CJSON_MAX_DEPTH);
            lua_replace(L, 1);
        }
    }
    return call_wrapped(L);
}

enum { WALK_ON = 0, WALK_OVER, WALK_CJSON_FAILS, WALK_STOP };

typedef struct Walk {
    size_t bound;                       /* bytes cjson writes at least */
    size_t budget;                      /* bytes the state may still allocate */
    int max_depth;                      /* cjson's encode_max_depth */
    int poll;                           /* values left before the next stop check */
} Walk;

/* Adds the value on top to the bound, in cjson's order; stops where cjson would fail
 * (too deep, a type it cannot write) since it writes nothing more from there. */
static int walk_value(lua_State *L, Walk *w, int depth) {
    size_t length = 0;
    switch (lua_type(L, -1)) {
    case LUA_TSTRING:
        lua_tolstring(L, -1, &length);
        w->bound += length + 2;
        break;
    case LUA_TNUMBER:
        w->bound += 1;
        break;
    case LUA_TBOOLEAN:
    case LUA_TNIL:
    case LUA_TLIGHTUSERDATA:            /* cjson.null */
        w->bound += 4;
        break;
    case LUA_TTABLE:
        if (depth > w->max_depth || !lua_checkstack(L, 3)) return WALK_CJSON_FAILS;
        w->bound += 2;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            w->bound += 1;              /* a separator */
            if (lua_type(L, -2) == LUA_TSTRING) {
                lua_tolstring(L, -2, &length);
                w->bound += length + 3; /* "key": */
            }
            int result = walk_value(L, w, depth + 1);
            lua_pop(L, 1);
            if (result != WALK_ON) {
                lua_pop(L, 1);
                return result;
            }
        }
        break;
    default:
        return WALK_CJSON_FAILS;
    }
    if (w->bound > w->budget) return WALK_OVER;
    if (--w->poll <= 0) {
        w->poll = WALK_POLL_EVERY;
        if (clua_run_should_stop(L)) return WALK_STOP;
    }
    return WALK_ON;
}

/* encode(value), with upvalue 3 the same instance's encode_max_depth. */
static int guarded_encode(lua_State *L) {
    clua_ctx *c = clua_getctx(L);
    if (lua_gettop(L) == 1) {                   /* other argument counts: cjson's error */
        lua_pushvalue(L, lua_upvalueindex(3));
        lua_call(L, 0, 1);
        int isnum = 0;
        lua_Integer depth = lua_tointegerx(L, -1, &isnum);
        lua_pop(L, 1);
        size_t budget = c->limit == 0 ? SIZE_MAX : c->used < c->limit ? c->limit - c->used : 0;
        Walk w = { 0, budget,
                   isnum && depth < INT_MAX ? (int)depth : CJSON_MAX_DEPTH, WALK_POLL_EVERY };
        lua_pushvalue(L, 1);
        int result = walk_value(L, &w, 1);
        lua_settop(L, 1);
        if (result == WALK_STOP) return 0;      /* the next instruction raises the stop */
        if (result == WALK_OVER) {
            /* Fails as the allocation of the result would: a memory error, the state
             * marked as over its cap. */
            lua_newuserdatauv(L, w.bound, 0);
            return 0;                           /* not reached */
        }
    }
    return call_wrapped(L);
}

static int wrapped_new(lua_State *L);

/* If field `name` of the table at t (absolute index) is a C closure whose only upvalue is
 * a userdata (cjson's configuration), pushes the closure and that upvalue and returns its
 * C function; otherwise pushes nothing and returns NULL. */
static cjson_function cjson_closure(lua_State *L, int t, const char *name) {
    int top = lua_gettop(L);
    lua_getfield(L, t, name);
    cjson_function f = lua_tocfunction(L, -1);
    if (f != NULL && lua_getupvalue(L, -1, 1) != NULL && lua_type(L, -1) == LUA_TUSERDATA
        && lua_getupvalue(L, -2, 2) == NULL) return f;
    lua_settop(L, top);
    return NULL;
}

/* Replaces encode, encode_max_depth, decode_max_depth and new of the cjson instance at t
 * (absolute index) with the sandbox's versions. Leaves the stack as it found it. */
static void wrap_instance(lua_State *L, int t) {
    static const char *const depth_setters[2] = { "encode_max_depth", "decode_max_depth" };
    int top = lua_gettop(L);
    for (int i = 0; i < 2; i++) {
        cjson_function f = cjson_closure(L, t, depth_setters[i]);
        if (f != NULL) {                        /* stack: closure, config */
            lua_pushlightuserdata(L, (void *)f);
            lua_pushcclosure(L, capped_depth, 2);
            lua_setfield(L, t, depth_setters[i]);
        }
        lua_settop(L, top);
    }
    lua_getfield(L, t, "encode_max_depth");     /* the capped getter, for the walk */
    int getter = lua_gettop(L);
    cjson_function f = cjson_closure(L, t, "encode");
    if (f != NULL) {                            /* stack: getter, closure, config */
        lua_pushlightuserdata(L, (void *)f);
        lua_pushvalue(L, getter);
        lua_pushcclosure(L, guarded_encode, 3);
        lua_setfield(L, t, "encode");
    }
    lua_settop(L, top);
    lua_getfield(L, t, "new");
    if (lua_iscfunction(L, -1)) {
        lua_pushcclosure(L, wrapped_new, 1);
        lua_setfield(L, t, "new");
    }
    lua_settop(L, top);
}

/* cjson.new(): a new instance, wrapped too. */
static int wrapped_new(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_call(L, 0, 1);
    if (lua_istable(L, -1)) wrap_instance(L, lua_gettop(L));
    return 1;
}

void clua_run_wrap_cjson(lua_State *L, int index) {
    wrap_instance(L, lua_absindex(L, index));
}

#ifdef CLUA_UNDER_TSAN
#pragma clang attribute pop
#endif
