/* Run control: see include/clua_run.h for the design. */
#include "clua_run.h"
#include "clua_shim.h"

#include <errno.h>
#include <signal.h>

/* Signals and the watchdog are Linux-only (real-time signals, a monotonic condition
 * clock); elsewhere every run uses the count hook. */
#if defined(__linux__) && defined(SIGRTMAX) && !defined(CLUA_UNDER_TSAN)
#define CLUA_RUN_SIGNALS 1
#endif

/* Raises the stop error as Redis does: an {err=...} table, so the message handler adds the
 * position. The hook is then set on every line so a script cannot swallow the error with
 * pcall and keep running. In hook mode it also checks the deadline. */
CLUA_UNWOUND_BY_LUA static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_ctx *c = clua_getctx(L);
    int reason = clua_interrupt_reason(L);
    if (reason == CLUA_RUNNING && c->hooked && c->deadline_ns != 0 && clua_now_ns() > c->deadline_ns) {
        clua_claim_interrupt(L, CLUA_TIMED_OUT);
        reason = clua_interrupt_reason(L);
    }
    if (reason == CLUA_RUNNING) {
        if (!c->hooked) lua_sethook(L, NULL, 0, 0); /* not armed by a stop: nothing to check */
        return;
    }
    lua_sethook(L, count_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    c->unlimited++; /* building the error must not fail on the cap */
    lua_createtable(L, 0, 1);
    lua_pushstring(L, clua_run_stop_message(reason));
    lua_setfield(L, -2, "err");
    c->unlimited--;
    lua_error(L);
}

const char *clua_run_stop_message(int reason) {
    switch (reason) {
    case CLUA_KILLED: return "ERR Script killed by user with SCRIPT KILL..."; /* Redis's text */
    case CLUA_TIMED_OUT: return "ERR Script exceeded the configured time limit and was stopped";
    case CLUA_CANCELLED: return "ERR Script cancelled by the caller";
    default: return NULL;
    }
}

/* ---- The signal ------------------------------------------------------------------------ */

static int interrupt_signal;                       /* 0: runs use the count hook */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/* The state this thread is running (NULL between runs), for the handler. */
static __thread lua_State *current_run __attribute__((tls_model("initial-exec")));
/* Per thread: 0 unknown, 1 the signal is deliverable here, 2 this thread blocks it. */
static __thread int signal_usable __attribute__((tls_model("initial-exec")));

#ifdef CLUA_RUN_SIGNALS
/* Arms the hook on the Lua thread running now: the run's state, or the coroutine it
 * resumed (see "Coroutines" below). */
static void on_interrupt_signal(int signo) {
    (void)signo;
    int saved = errno;
    lua_State *L = current_run;
    if (L != NULL && clua_interrupt_reason(L) != CLUA_RUNNING) {
        lua_State *running = __atomic_load_n(&clua_getctx(L)->running, __ATOMIC_RELAXED);
        lua_sethook(running != NULL ? running : L, count_hook, LUA_MASKCOUNT, 1);
    }
    errno = saved;
}

#endif

static void install_signal(void) {
#ifdef CLUA_RUN_SIGNALS
    /* A real-time signal nobody in the process handles yet, from the top of the range. */
    for (int signo = SIGRTMAX - 2; signo > SIGRTMAX - 10 && signo > SIGRTMIN; signo--) {
        struct sigaction old;
        if (sigaction(signo, NULL, &old) != 0) continue;
        if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_interrupt_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        if (sigaction(signo, &sa, NULL) == 0) {
            interrupt_signal = signo;
            return;
        }
    }
#endif
}

int clua_run_uses_signals(void) {
    pthread_once(&install_once, install_signal);
    return interrupt_signal != 0;
}

int clua_run_under_tsan(void) {
#ifdef CLUA_UNDER_TSAN
    return 1;
#else
    return 0;
#endif
}

static int signal_deliverable_here(void) {
    if (signal_usable == 0) {
        sigset_t mask;
        signal_usable = (pthread_sigmask(SIG_BLOCK, NULL, &mask) == 0 && !sigismember(&mask, interrupt_signal)) ? 1 : 2;
    }
    return signal_usable == 1;
}

static void set_current_run(lua_State *L) {
    __atomic_store_n(&current_run, L, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* ---- The watchdog: stops runs whose deadline passed ------------------------------------ */

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_wake;
static lua_State **watch_list;
static int watch_count, watch_capacity;
static int64_t watch_planned = INT64_MAX;          /* the watchdog's next wake-up */
static int watchdog_state;                          /* 0 not started, 1 running, -1 failed */

#ifdef CLUA_RUN_SIGNALS
static void *watchdog_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&watch_lock);
    for (;;) {
        int64_t now = clua_now_ns(), next = INT64_MAX;
        for (int i = 0; i < watch_count; i++) {
            lua_State *L = watch_list[i];
            clua_ctx *c = clua_getctx(L);
            if (c->deadline_ns <= now) {
                /* Listed means running: its thread is alive until it unlists itself. */
                if (clua_claim_interrupt(L, CLUA_TIMED_OUT)) pthread_kill(c->thread, interrupt_signal);
            } else if (c->deadline_ns < next) {
                next = c->deadline_ns;
            }
        }
        watch_planned = next;
        if (next == INT64_MAX) {
            pthread_cond_wait(&watch_wake, &watch_lock);
        } else {
            struct timespec ts = { .tv_sec = next / 1000000000, .tv_nsec = next % 1000000000 };
            pthread_cond_timedwait(&watch_wake, &watch_lock, &ts);
        }
    }
    return NULL;
}

/* Under watch_lock. */
static int start_watchdog(void) {
    if (watchdog_state != 0) return watchdog_state == 1;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&watch_wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_attr_t thread_attr;
    pthread_attr_init(&thread_attr);
    pthread_attr_setdetachstate(&thread_attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&thread_attr, 64 * 1024);
    pthread_t thread;
    watchdog_state = pthread_create(&thread, &thread_attr, watchdog_main, NULL) == 0 ? 1 : -1;
    pthread_attr_destroy(&thread_attr);
    return watchdog_state == 1;
}

static int watch_add(lua_State *L) {
    clua_ctx *c = clua_getctx(L);
    pthread_mutex_lock(&watch_lock);
    int ok = start_watchdog();
    if (ok && watch_count == watch_capacity) {
        int capacity = watch_capacity ? watch_capacity * 2 : 16;
        lua_State **list = realloc(watch_list, (size_t)capacity * sizeof *list);
        if (list == NULL) ok = 0; else { watch_list = list; watch_capacity = capacity; }
    }
    if (ok) {
        watch_list[watch_count++] = L;
        c->watched = watch_count;                   /* index + 1 */
        /* Only a deadline earlier than the planned wake-up needs the watchdog now; in a
         * stream of runs with one limit that is about once per limit, not once per run. */
        if (c->deadline_ns < watch_planned) {
            watch_planned = c->deadline_ns;
            pthread_cond_signal(&watch_wake);
        }
    }
    pthread_mutex_unlock(&watch_lock);
    return ok;
}

static void watch_remove(lua_State *L) {
    clua_ctx *c = clua_getctx(L);
    pthread_mutex_lock(&watch_lock);
    int i = c->watched - 1;
    lua_State *last = watch_list[--watch_count];
    watch_list[i] = last;
    clua_getctx(last)->watched = i + 1;
    c->watched = 0;
    pthread_mutex_unlock(&watch_lock);
}

#else
static int watch_add(lua_State *L) { (void)L; return 0; }
static void watch_remove(lua_State *L) { (void)L; }
#endif

/* ---- Runs ------------------------------------------------------------------------------- */

/* Records the Lua thread that runs from now on, for the signal handler (same thread). */
static void set_running(clua_ctx *c, lua_State *T) {
    __atomic_store_n(&c->running, T, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void clua_run_begin(lua_State *L, int64_t time_limit_ns, int count) {
    clua_ctx *c = clua_getctx(L);
    __atomic_store_n(&c->interrupt, CLUA_RUNNING, __ATOMIC_RELEASE);
    __atomic_store_n(&c->dirty, CLUA_CLEAN, __ATOMIC_RELEASE);
    c->deadline_ns = time_limit_ns > 0 ? clua_now_ns() + time_limit_ns : 0;
    c->exceeded = 0;
    c->hook_count = count;
    set_running(c, L);
    c->hooked = !clua_run_uses_signals() || !signal_deliverable_here();
    if (!c->hooked) {
        c->thread = pthread_self();
        set_current_run(L);
        if (c->deadline_ns == 0 || watch_add(L)) return;
        set_current_run(NULL);
        c->hooked = 1;
    }
    lua_sethook(L, count_hook, LUA_MASKCOUNT, count);
}

void clua_run_end(lua_State *L) {
    clua_ctx *c = clua_getctx(L);
    if (!c->hooked) {
        set_current_run(NULL);                      /* a late signal now finds no run */
        if (c->deadline_ns != 0) watch_remove(L);   /* listed iff it has a deadline */
    }
    lua_sethook(L, NULL, 0, 0);
    set_running(c, NULL);
    c->deadline_ns = 0;
}

void clua_run_interrupt(lua_State *L, int reason) {
    if (!clua_claim_interrupt(L, reason)) return;
#ifdef CLUA_RUN_SIGNALS
    clua_ctx *c = clua_getctx(L);
    if (!c->hooked) pthread_kill(c->thread, interrupt_signal);
#endif
}

int clua_run_try_kill(lua_State *L) {
    int expected = CLUA_CLEAN;
    if (__atomic_compare_exchange_n(&clua_getctx(L)->dirty, &expected, CLUA_KILL_CLAIMED, 0,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) || expected == CLUA_KILL_CLAIMED) {
        clua_run_interrupt(L, CLUA_KILLED);
        return 1;
    }
    return 0;
}

/* ---- Coroutines ---------------------------------------------------------------------------
 *
 * A coroutine is a lua_State of its own, with its own hook: arming the run's state does
 * not stop a loop inside a coroutine, and lua_newthread copies the hook only when the
 * coroutine is created. So the sandbox's coroutine.resume, coroutine.wrap and
 * coroutine.close are the functions below, which run a coroutine the way lcorolib does
 * through the same public API, plus two steps around lua_resume (and the lua_closethread
 * that runs a coroutine's __close handlers):
 *   - record the coroutine as the run's running thread (`running` in the context), which
 *     is what the signal handler arms, then give it the hook the run needs now: armed if a
 *     stop is pending (a coroutine resumed after the stop stops at once), the count hook in
 *     hook mode, none otherwise (a coroutine may carry a hook from an earlier run);
 *   - after it returns, make the resumer the running thread again and, if a stop is
 *     pending, arm the resumer too, so catching the stop error with coroutine.resume (or
 *     pcall around a wrapped function) does not let the script go on.
 * Each step happens after the thread it protects is recorded, so a signal landing between
 * two steps arms either the thread that runs next or one that the next step arms anyway.
 * Nothing here is on the path of redis.call: a script that never resumes a coroutine pays
 * nothing. */

/* Everything from here on may be unwound by Lua errors (see CLUA_UNWOUND_BY_LUA). */
#ifdef CLUA_UNDER_TSAN
#pragma clang attribute push (__attribute__((disable_sanitizer_instrumentation)), apply_to = function)
#endif

static void arm(lua_State *T) { lua_sethook(T, count_hook, LUA_MASKLINE | LUA_MASKCOUNT, 1); }

/* Makes `co` the running thread of L's run and gives it the hook the run needs. */
static void enter_thread(lua_State *L, lua_State *co) {
    clua_ctx *c = clua_getctx(L);
    set_running(c, co);
    if (c->hooked) {
        if (lua_gethook(co) != count_hook || lua_gethookmask(co) != LUA_MASKCOUNT || lua_gethookcount(co) != c->hook_count)
            lua_sethook(co, count_hook, LUA_MASKCOUNT, c->hook_count);
    } else if (lua_gethook(co) != NULL) {
        lua_sethook(co, NULL, 0, 0);
    }
    if (clua_interrupt_reason(L) != CLUA_RUNNING) arm(co);
}

/* Makes L the running thread again; arms it when the run is being stopped. */
static void leave_thread(lua_State *L) {
    set_running(clua_getctx(L), L);
    if (clua_interrupt_reason(L) != CLUA_RUNNING) arm(L);
}

static int resume_tracked(lua_State *L, lua_State *co, int narg, int *nres) {
    enter_thread(L, co);
    int status = lua_resume(co, L, narg, nres);
    leave_thread(L);
    return status;
}

/* Runs co's pending __close handlers (lua_closethread), tracked like a resume. */
static int close_tracked(lua_State *L, lua_State *co) {
    enter_thread(L, co);
    clua_allow_hooks(co);
#if LUA_VERSION_RELEASE_NUM >= 50406
    int status = lua_closethread(co, L);
#else
    int status = lua_resetthread(co);
#endif
    leave_thread(L);
    return status;
}

/* Moves narg arguments to co and resumes it; returns the number of results moved back to
 * L, or -1 with the error value on L's top. */
static int resume_with(lua_State *L, lua_State *co, int narg) {
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, narg);
    int nres = 0;
    int status = resume_tracked(L, co, narg, &nres);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    return -1;
}

static lua_State *coroutine_argument(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co != NULL, 1, "coroutine");
    return co;
}

/* coroutine.resume(co, ...) -> true, results... | false, error */
static int co_resume(lua_State *L) {
    lua_State *co = coroutine_argument(L);
    int n = resume_with(L, co, lua_gettop(L) - 1);
    if (n < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(n + 1));
    return n + 1;
}

/* The function coroutine.wrap returns: resumes its coroutine, raises its errors. */
static int co_wrapped(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int n = resume_with(L, co, lua_gettop(L));
    if (n >= 0) return n;
    int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD) {   /* died of the error: close it */
        status = close_tracked(L, co);
        lua_xmove(co, L, 1);
    }
    if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);                             /* the caller's position, as lcorolib */
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

/* coroutine.wrap(f) */
static int co_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, co_wrapped, 1);
    return 1;
}

/* coroutine.close(co) -> true | false, error */
static int co_close(lua_State *L) {
    lua_State *co = coroutine_argument(L);
    const char *refused = NULL;
    if (co == L) {
        refused = "running";
    } else if (lua_status(co) == LUA_OK) {
        lua_Debug ar;
        if (lua_getstack(co, 0, &ar)) refused = "normal";   /* it resumed the caller */
    }
    if (refused != NULL) return luaL_error(L, "cannot close a %s coroutine", refused);
    int status = close_tracked(L, co);
    if (status == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);
    return 2;
}

/* ---- Long loops in C library functions ---------------------------------------------------
 *
 * Hooks run only between Lua instructions, so a C function that loops for long (string
 * pattern matching) polls instead: when the run must stop (in hook mode the deadline is
 * checked here too), the running thread is armed and the function returns at once with
 * any result, which nothing sees: the next instruction raises the stop from the hook, as
 * for any stop. Raising here instead would run the message handler with hooks on and the
 * hook armed, which would raise inside the handler. */
int clua_run_should_stop(lua_State *L) {
    clua_ctx *c = clua_getctx(L);
    int reason = clua_interrupt_reason(L);
    if (reason == CLUA_RUNNING && c->hooked && c->deadline_ns != 0 && clua_now_ns() > c->deadline_ns) {
        clua_claim_interrupt(L, CLUA_TIMED_OUT);
        reason = clua_interrupt_reason(L);
    }
    if (reason == CLUA_RUNNING) return 0;
    arm(L);
    return 1;
}

/* ---- xpcall ----------------------------------------------------------------------------
 *
 * A message handler runs where the error was raised; for the stop error that is inside
 * the hook, where Lua runs no hooks, so a script's handler could loop there forever. The
 * sandbox's xpcall hands the real one a guard that skips the script's handler while a
 * stop is pending (the error passes through unchanged). */
static int xpcall_guard(lua_State *L) {
    if (clua_interrupt_reason(L) != CLUA_RUNNING) return 1;   /* the error, as it is */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int xpcall_finish(lua_State *L, int status, lua_KContext base) {
    (void)status;
    return lua_gettop(L) - (int)base;
}

/* xpcall(f, msgh, ...), with upvalue 1 the real xpcall. */
static int guarded_xpcall(lua_State *L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_guard, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, xpcall_finish);
    return xpcall_finish(L, LUA_OK, 0);
}

/* clua_cjson.c: caps cjson's depth setters and bounds encode's output (the instance at
 * `index`, and those its `new` makes). */
void clua_run_wrap_cjson(lua_State *L, int index);

static int install_protected(lua_State *L) {
    lua_getglobal(L, "coroutine");
    lua_pushcfunction(L, co_resume);
    lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, co_wrap);
    lua_setfield(L, -2, "wrap");
    lua_pushcfunction(L, co_close);
    lua_setfield(L, -2, "close");
    lua_getglobal(L, "xpcall");
    lua_pushcclosure(L, guarded_xpcall, 1);
    lua_setglobal(L, "xpcall");
    lua_getglobal(L, "cjson");
    if (lua_istable(L, -1)) clua_run_wrap_cjson(L, -1);
    lua_pop(L, 1);
    lua_getglobal(L, "string");
    clua_run_push_patterns(L);
    for (int i = 0; i < 4; i++) {
        static const char *const names[4] = { "find", "match", "gmatch", "gsub" };
        lua_getfield(L, -1, names[i]);
        lua_setfield(L, -3, names[i]);
    }
    return 0;
}

int clua_run_install(lua_State *L) {
    lua_pushcfunction(L, install_protected);
    int status = lua_pcall(L, 0, 0, 0);
    if (status != LUA_OK) lua_pop(L, 1);
    return status;
}

#ifdef CLUA_UNDER_TSAN
#pragma clang attribute pop
#endif
