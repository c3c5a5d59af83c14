/* Lua 5.4 prefixed shims for its macros (all lua_* use stays in LuaStoreScripting), and the
 * per-state context shared by Swift and the rest of CLuaRun.
 *
 * Besides macro wrappers, this header holds the few pieces that must be C because they run
 * where a Lua error may longjmp: the allocator with its per-state cap, the count hook that
 * stops a run (time limit, SCRIPT KILL, cancellation) and the trampoline through which every
 * Swift host function is called. Swift code never calls an API function that can raise
 * except while the allocator is in "unlimited" mode (see clua_trampoline), where the only
 * possible raise is a real out-of-memory of the process. */
#pragma once
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <lua-cjson.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include <pthread.h>

/* ---- Frames Lua errors unwind, under Thread Sanitizer ---------------------------------
 *
 * Lua raises errors with longjmp (liblua calls __longjmp_chk, which Thread Sanitizer does
 * not intercept), so TSan never sees instrumented C frames that an error skips return: each
 * leaves an entry on its per-thread shadow call stack, which overflows (a crash inside TSan)
 * after some 64k of them. C functions that Lua errors may unwind (the trampoline, the hook,
 * the library functions in CLuaRun) are therefore left uninstrumented under TSan. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CLUA_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) && !defined(CLUA_UNDER_TSAN)
#define CLUA_UNDER_TSAN 1
#endif
#ifdef CLUA_UNDER_TSAN
#define CLUA_UNWOUND_BY_LUA __attribute__((disable_sanitizer_instrumentation))
#else
#define CLUA_UNWOUND_BY_LUA
#endif

/* ---- Per-state context: memory accounting and interruption --------------------------- */

/* Why a run was interrupted (0 = keep running). */
enum { CLUA_RUNNING = 0, CLUA_KILLED = 1, CLUA_TIMED_OUT = 2, CLUA_CANCELLED = 3 };
/* Whether a run has written (SCRIPT KILL refuses then, as Redis's UNKILLABLE). The run's
 * thread and a killer race for the first transition, so neither a write after a kill nor a
 * kill after a write can slip through. */
enum { CLUA_CLEAN = 0, CLUA_DIRTY = 1, CLUA_KILL_CLAIMED = 2 };

/* One per lua_State, reachable from the state's extra space. `interrupt` is written from
 * other threads, so it is only touched through __atomic builtins. Everything else belongs
 * to the thread running the state. */
typedef struct clua_ctx {
    size_t used;            /* bytes currently allocated by the state */
    size_t limit;           /* cap in bytes, 0 = none */
    int unlimited;          /* > 0 while host code runs: allocations may exceed the cap */
    int exceeded;           /* set once an allocation was refused */
    int interrupt;          /* CLUA_* reason; atomic */
    int dirty;              /* CLUA_CLEAN / CLUA_DIRTY / CLUA_KILL_CLAIMED; atomic */
    int64_t deadline_ns;    /* CLOCK_MONOTONIC deadline of the run, 0 = none */
    pthread_t thread;       /* the thread running the state (CLuaRun signals it) */
    int watched;            /* 1 while the run is on CLuaRun's watch list */
    int hooked;             /* 1 when the run checks through a count hook (no signals) */
    int mirror_ok;          /* 1 once clua_check_mirror confirmed the stack/string layout */
    int hook_count;         /* the run's count-hook period when `hooked` */
    lua_State *running;     /* the Lua thread running now: the state or a coroutine (CLuaRun) */
    void *owner;            /* the Swift object owning the state (unretained) */
    void *bins[8];          /* free small blocks by size class (see clua_alloc_fn) */
} clua_ctx;

static inline clua_ctx *clua_getctx(lua_State *L) {
    return *(clua_ctx **)lua_getextraspace(L);
}

/* Small blocks (up to CLUA_SMALL_MAX bytes) come from per-state free lists, one per
 * 16-byte size class, refilled from malloc and never returned to it before the state
 * closes. A script run allocates and frees dozens of small objects (status-reply tables
 * and their nodes, argument strings, closures): glibc's realloc/free cost ~330
 * instructions per call there (callgrind), a list push or pop a dozen. Every block of at
 * most CLUA_SMALL_MAX bytes is a class-sized block from these lists, so a freed block
 * always fits its class. `used` still counts the sizes Lua asked for. */
#define CLUA_SMALL_MAX 128

static inline int clua_size_class(size_t n) { return (int)((n + 15) >> 4) - 1; }   /* 1...128 -> 0...7 */

static inline void *clua_small_take(clua_ctx *c, size_t n) {
    int k = clua_size_class(n);
    void *p = c->bins[k];
    if (p != NULL) {
        c->bins[k] = *(void **)p;
        return p;
    }
    return malloc((size_t)(k + 1) << 4);
}

static inline void clua_small_give(clua_ctx *c, void *p, size_t n) {
    int k = clua_size_class(n);
    *(void **)p = c->bins[k];
    c->bins[k] = p;
}

static inline void *clua_alloc_fn(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_ctx *c = (clua_ctx *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr != NULL) {
            if (old <= CLUA_SMALL_MAX) clua_small_give(c, ptr, old); else free(ptr);
        }
        c->used -= old;
        return NULL;
    }
    if (nsize > old && c->limit != 0 && c->unlimited == 0 && c->used - old + nsize > c->limit) {
        c->exceeded = 1;
        return NULL;
    }
    void *p;
    if (nsize <= CLUA_SMALL_MAX) {
        if (ptr != NULL && old <= CLUA_SMALL_MAX && clua_size_class(old) == clua_size_class(nsize)) {
            p = ptr;                                   /* same class: the block already fits */
        } else {
            p = clua_small_take(c, nsize);
            if (p == NULL) return NULL;
            if (ptr != NULL) {
                memcpy(p, ptr, old < nsize ? old : nsize);
                if (old <= CLUA_SMALL_MAX) clua_small_give(c, ptr, old); else free(ptr);
            }
        }
    } else if (ptr != NULL && old <= CLUA_SMALL_MAX) {
        p = malloc(nsize);                             /* small to large: leaves its class */
        if (p == NULL) return NULL;
        memcpy(p, ptr, old);
        clua_small_give(c, ptr, old);
    } else {
        p = realloc(ptr, nsize);                       /* large to large, or new large */
        if (p == NULL) return NULL;
    }
    c->used = c->used - old + nsize;
    return p;
}

/* Frees the blocks parked in the free lists (after lua_close has returned every object). */
static inline void clua_release_bins(clua_ctx *c) {
    for (int k = 0; k < 8; k++) {
        void *p = c->bins[k];
        while (p != NULL) {
            void *next = *(void **)p;
            free(p);
            p = next;
        }
        c->bins[k] = NULL;
    }
}

static inline int64_t clua_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Creates a state with the capped allocator; the context is freed by clua_close. */
static inline lua_State *clua_newstate(size_t limit, void *owner) {
    clua_ctx *c = (clua_ctx *)calloc(1, sizeof(clua_ctx));
    if (c == NULL) return NULL;
    c->limit = limit;
    c->owner = owner;
    c->unlimited = 1; /* setting up libraries must not fail on the cap */
    lua_State *L = lua_newstate(clua_alloc_fn, c);
    if (L == NULL) { clua_release_bins(c); free(c); return NULL; }
    *(clua_ctx **)lua_getextraspace(L) = c;
    return L;
}

static inline void clua_close(lua_State *L) {
    clua_ctx *c = clua_getctx(L);
    lua_close(L);
    clua_release_bins(c);
    free(c);
}

static inline void clua_set_unlimited(lua_State *L, int on) {
    clua_ctx *c = clua_getctx(L);
    if (on) c->unlimited++; else c->unlimited--;
}
static inline size_t clua_memory_used(lua_State *L) { return clua_getctx(L)->used; }
static inline int clua_memory_exceeded(lua_State *L) { return clua_getctx(L)->exceeded; }
static inline void *clua_owner(lua_State *L) { return clua_getctx(L)->owner; }

/* Records why the run must stop, unless a reason is already recorded; safe from any
 * thread. Returns 1 when this call recorded it. Stopping the run itself (the hook) is
 * CLuaRun's job: see clua_run_interrupt. */
static inline int clua_claim_interrupt(lua_State *L, int reason) {
    int expected = CLUA_RUNNING;
    return __atomic_compare_exchange_n(&clua_getctx(L)->interrupt, &expected, reason, 0,
                                       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
static inline int clua_interrupt_reason(lua_State *L) {
    return __atomic_load_n(&clua_getctx(L)->interrupt, __ATOMIC_ACQUIRE);
}

/* The run's thread, before its first write: 1 = go ahead (now dirty), 0 = a kill came
 * first (do not write). */
static inline int clua_try_mark_dirty(lua_State *L) {
    int expected = CLUA_CLEAN;
    if (__atomic_compare_exchange_n(&clua_getctx(L)->dirty, &expected, CLUA_DIRTY, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return 1;
    return expected == CLUA_DIRTY;
}
/* ---- Trampoline for Swift host functions --------------------------------------------- */

/* A Swift host function: returns the number of results, or -1 after pushing an error value
 * that the trampoline raises once Swift has returned. */
typedef int (*clua_host_fn)(lua_State *L);

CLUA_UNWOUND_BY_LUA static inline int clua_trampoline(lua_State *L) {
    clua_host_fn fn = (clua_host_fn)lua_touserdata(L, lua_upvalueindex(1));
    clua_ctx *c = clua_getctx(L);
    c->unlimited++;
    int n = fn(L);
    c->unlimited--;
    if (n < 0) return lua_error(L);
    return n;
}

/* ---- Whether the caller discards a C function's results ------------------------------
 *
 * Lua 5.4 records in the running C function's CallInfo how many results its caller
 * expects: 0 for a call statement (`redis.pcall(...)` on its own), 1 for `local x = f()`,
 * -1 (all) for `return f()`, `g(f())` and calls from C through lua_call/lua_pcall with
 * LUA_MULTRET. Only 0 means the value can never be observed. The public API does not
 * expose it, so this mirrors the prefix of the internal lua_State and CallInfo layouts
 * (lstate.h; unchanged from 5.4.0 through 5.4.7) and checks the mirror against the public
 * API on every use: the distance from the call's function slot to the stack top must be
 * lua_gettop + 1 stack values, and the CallInfo must be flagged as a C call. Any other
 * Lua version, or a failed check, answers "results are used". */
#if LUA_VERSION_NUM == 504
typedef struct clua_callinfo_prefix {
    char *func;                 /* StkId: function slot; arguments follow it */
    char *top;
    void *previous, *next;
    void *u[3];                 /* union of the Lua and C call fields: 24 bytes */
    int u2;
    short nresults;
    unsigned short callstatus;
} clua_callinfo_prefix;
typedef struct clua_state_prefix {
    void *next;                 /* CommonHeader: next, tt, marked */
    unsigned char tt, marked, status, allowhook;
    unsigned short nci;
    char *top;                  /* first free stack slot */
    void *l_G;
    clua_callinfo_prefix *ci;   /* the running function's call */
} clua_state_prefix;
#define CLUA_STACK_VALUE_SIZE 16 /* sizeof(StackValue): a TValue padded to 16 bytes */
#define CLUA_CIST_C (1 << 1)
#endif

/* ---- Reading a host function's arguments straight from the stack ---------------------
 *
 * Converting a redis.call argument through the API costs four or five calls into liblua
 * (lua_type, lua_tolstring or lua_isinteger/lua_tointegerx, ...), each finding the slot
 * again: ~9% of the seed script's time. Arguments sit in consecutive stack values after
 * the function slot, and strings keep their bytes inline, so with the layouts below
 * (lobject.h, 5.4.0 to 5.4.7) they can be read directly. A state uses this only after
 * clua_check_mirror confirmed, on that state, that the mirror reads what the API reads. */
#if LUA_VERSION_NUM == 504
typedef struct clua_value_prefix {
    union { void *gc; int64_t i; double n; } value;
    unsigned char tt;           /* tag with variant and collectable bits */
} clua_value_prefix;            /* padded to the 16 bytes of a stack value */
typedef struct clua_string_prefix {
    void *next;
    unsigned char tt, marked, extra, shrlen;
    unsigned int hash;
    size_t lnglen;              /* long strings' length (a union with hnext) */
    char contents[1];
} clua_string_prefix;
#define CLUA_TAG_INTEGER 0x03           /* LUA_VNUMINT */
#define CLUA_TAG_FLOAT 0x13             /* LUA_VNUMFLT */
#define CLUA_TAG_SHORT_STRING 0x44      /* LUA_VSHRSTR, collectable */
#define CLUA_TAG_LONG_STRING 0x54       /* LUA_VLNGSTR, collectable */

/* The running C function's first argument, with in *count how many there are and in
 * *discarded whether the caller drops its results (its CallInfo asks for no results); NULL when
 * this state has not confirmed the mirror (use the API then). */
static inline const clua_value_prefix *clua_arguments(lua_State *L, int *count, int *discarded) {
    if (!clua_getctx(L)->mirror_ok) return NULL;
    const clua_state_prefix *s = (const clua_state_prefix *)L;
    const clua_callinfo_prefix *ci = s->ci;
    ptrdiff_t span = s->top - ci->func;
    if (!(ci->callstatus & CLUA_CIST_C) || span < CLUA_STACK_VALUE_SIZE || span % CLUA_STACK_VALUE_SIZE != 0) return NULL;
    *count = (int)(span / CLUA_STACK_VALUE_SIZE) - 1;
    *discarded = ci->nresults == 0;
    return (const clua_value_prefix *)(ci->func + CLUA_STACK_VALUE_SIZE);
}
static inline const clua_value_prefix *clua_argument(const clua_value_prefix *first, int i) {
    return (const clua_value_prefix *)((const char *)first + (ptrdiff_t)i * CLUA_STACK_VALUE_SIZE);
}
static inline int clua_value_tag(const clua_value_prefix *v) { return v->tt; }
static inline int64_t clua_value_integer(const clua_value_prefix *v) { return v->value.i; }
static inline double clua_value_number(const clua_value_prefix *v) { return v->value.n; }
/* Only for the two string tags. */
static inline const char *clua_value_string(const clua_value_prefix *v, size_t *length) {
    const clua_string_prefix *ts = (const clua_string_prefix *)v->value.gc;
    *length = v->tt == CLUA_TAG_SHORT_STRING ? ts->shrlen : ts->lnglen;
    return ts->contents;
}

/* Called through lua_pcall with the four probe values below: compares every mirror read
 * with the API's, and records the verdict in the state's context. */
static inline int clua_mirror_probe(lua_State *L) {
    clua_ctx *c = clua_getctx(L);
    c->mirror_ok = 1;
    int count = 0, discarded = 0, ok = 1;
    const clua_value_prefix *args = clua_arguments(L, &count, &discarded);
    if (args == NULL || count != 4 || count != lua_gettop(L)) ok = 0;
    /* The thread's status and hook permission (see clua_allow_hooks): a running thread
     * outside any hook reads LUA_OK and 1. */
    const clua_state_prefix *s = (const clua_state_prefix *)L;
    if (s->status != LUA_OK || s->allowhook != 1) ok = 0;
    static const int tags[4] = { CLUA_TAG_SHORT_STRING, CLUA_TAG_LONG_STRING, CLUA_TAG_INTEGER, CLUA_TAG_FLOAT };
    for (int i = 0; ok && i < 4; i++) {
        const clua_value_prefix *v = clua_argument(args, i);
        if (clua_value_tag(v) != tags[i]) { ok = 0; break; }
        if (i < 2) {
            size_t mine = 0, theirs = 0;
            const char *p = clua_value_string(v, &mine);
            const char *q = lua_tolstring(L, i + 1, &theirs);
            ok = mine == theirs && p == q;
        } else if (i == 2) {
            ok = lua_isinteger(L, 3) && clua_value_integer(v) == lua_tointegerx(L, 3, NULL);
        } else {
            ok = !lua_isinteger(L, 4) && clua_value_number(v) == lua_tonumberx(L, 4, NULL);
        }
    }
    c->mirror_ok = ok;
    return 0;
}
#endif

/* Lets hooks run on `L`, a thread that is not running. Raising from a hook (how a run is
 * stopped) leaves the raising thread's `allowhook` off until a protected call that caught
 * the error restores it; lua_resume restores nothing, so a coroutine that died of the stop
 * would run its pending __close handlers with hooks off, where nothing can stop them.
 * Only with the mirror confirmed (the field sits next to `status` in the lua_State
 * prefix); without it the flag is left as it is. */
static inline void clua_allow_hooks(lua_State *L) {
#if LUA_VERSION_NUM == 504
    if (clua_getctx(L)->mirror_ok) ((clua_state_prefix *)L)->allowhook = 1;
#else
    (void)L;
#endif
}

/* Decides, once per state, whether clua_arguments may be used. */
static inline void clua_check_mirror(lua_State *L) {
    clua_getctx(L)->mirror_ok = 0;
#if LUA_VERSION_NUM == 504
    lua_pushcclosure(L, clua_mirror_probe, 0);
    lua_pushstring(L, "ab");
    lua_pushstring(L, "a long string: longer than the 40 bytes of a short one");
    lua_pushinteger(L, -42);
    lua_pushnumber(L, 2.5);
    if (lua_pcall(L, 4, 0, 0) != LUA_OK) {
        clua_getctx(L)->mirror_ok = 0;
        lua_pop(L, 1);
    }
#endif
}

/* Pushes `fn` as a Lua C closure through the trampoline. */
static inline void clua_pushhostfunction(lua_State *L, clua_host_fn fn) {
    lua_pushlightuserdata(L, (void *)fn);
    lua_pushcclosure(L, clua_trampoline, 1);
}

/* ---- Lua library functions that raise like C ones -------------------------------------
 *
 * A C library function raises with luaL_error, whose message starts with the position of
 * the Lua code that called it (luaL_where(L, 1)). A Lua function cannot do the same: its
 * caller is two levels up, and gone when it was called as a tail call (`return f(x)`).
 * clua_clike(f) returns a C function that calls the Lua function f with its arguments; f
 * returns true and its results, or false, a message and whether the message takes the
 * caller's position, and the C function raises that message as luaL_error would. */
CLUA_UNWOUND_BY_LUA static inline int clua_clike_call(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    if (lua_toboolean(L, 1)) return lua_gettop(L) - 1;
    lua_settop(L, 3);
    if (lua_toboolean(L, 3)) luaL_where(L, 1); else lua_pushliteral(L, "");
    lua_pushvalue(L, 2);
    lua_concat(L, 2);
    return lua_error(L);
}

static inline int clua_clike(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    lua_pushcclosure(L, clua_clike_call, 1);
    return 1;
}

/* Adds the C helpers the prelude needs (`clike`) to the table on top. */
static inline void clua_add_prelude_helpers(lua_State *L) {
    lua_pushcfunction(L, clua_clike);
    lua_setfield(L, -2, "clike");
}

/* ---- Protected helpers: code that may raise runs inside lua_pcall --------------------- */

static inline int clua_openlibs_protected(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
    luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 1); /* removed again by the prelude */
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 1);    /* scripts see only os.clock */
    luaL_requiref(L, "cjson", luaopen_cjson, 1);
    lua_settop(L, 0);
    return 0;
}

/* Opens the standard libraries the sandbox keeps; returns a lua status. */
static inline int clua_openlibs(lua_State *L) {
    lua_pushcfunction(L, clua_openlibs_protected);
    return lua_pcall(L, 0, 0, 0);
}

/* Formats a float argument of redis.call as Redis does ("%.17g"). */
static inline int clua_format_double(double d, char *buf, int size) {
    return snprintf(buf, (size_t)size, "%.17g", d);
}

/* lua_gc is variadic, which Swift cannot call. */
static inline void clua_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }
static inline void clua_gc_step(lua_State *L, int kb) { lua_gc(L, LUA_GCSTEP, kb); }

/* ---- Macro wrappers ------------------------------------------------------------------- */

static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void clua_newtable(lua_State *L) { lua_newtable(L); }
static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline const char *clua_tostring(lua_State *L, int i) { return lua_tostring(L, i); }
static inline int clua_isnil(lua_State *L, int i) { return lua_isnil(L, i); }
static inline int clua_istable(lua_State *L, int i) { return lua_istable(L, i); }
static inline int clua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
static inline void clua_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void clua_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void clua_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline int clua_getglobals(lua_State *L) {
    return lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
}
/* Replaces the globals every later chunk (and load() inside scripts) gets as _ENV. */
static inline void clua_setglobals(lua_State *L) {
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
}
static inline int clua_ref(lua_State *L) { return luaL_ref(L, LUA_REGISTRYINDEX); }
static inline void clua_unref(lua_State *L, int ref) { luaL_unref(L, LUA_REGISTRYINDEX, ref); }
static inline int clua_getref(lua_State *L, int ref) { return lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }
/* Text-only load: a binary chunk is refused, never undumped. */
static inline int clua_loadtext(lua_State *L, const char *buf, size_t len, const char *name) {
    return luaL_loadbufferx(L, buf, len, name, "t");
}
