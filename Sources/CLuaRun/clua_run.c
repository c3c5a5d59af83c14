/* Run control: see include/clua_run.h for the design. */
#include "clua_run.h"
#include "../CLua/shim.h"

#include <errno.h>
#include <signal.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CLUA_RUN_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define CLUA_RUN_UNDER_TSAN 1
#endif
/* Signals and the watchdog are Linux-only (real-time signals, a monotonic condition
 * clock); elsewhere every run uses the count hook. */
#if defined(__linux__) && defined(SIGRTMAX) && !defined(CLUA_RUN_UNDER_TSAN)
#define CLUA_RUN_SIGNALS 1
#endif

/* Messages raised when a run is stopped; Redis's text for SCRIPT KILL. */
#define CLUA_KILLED_MESSAGE "ERR Script killed by user with SCRIPT KILL..."
#define CLUA_TIMEOUT_MESSAGE "ERR Script exceeded the configured time limit and was stopped"
#define CLUA_CANCELLED_MESSAGE "ERR Script cancelled by the caller"

/* Raises the stop error as Redis does: an {err=...} table, so the message handler adds the
 * position. The hook is then set on every line so a script cannot swallow the error with
 * pcall and keep running. In hook mode it also checks the deadline. */
static void count_hook(lua_State *L, lua_Debug *ar) {
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
    lua_pushstring(L, reason == CLUA_KILLED ? CLUA_KILLED_MESSAGE
                    : reason == CLUA_TIMED_OUT ? CLUA_TIMEOUT_MESSAGE : CLUA_CANCELLED_MESSAGE);
    lua_setfield(L, -2, "err");
    c->unlimited--;
    lua_error(L);
}

/* ---- The signal ------------------------------------------------------------------------ */

static int interrupt_signal;                       /* 0: runs use the count hook */
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/* The state this thread is running (NULL between runs), for the handler. */
static __thread lua_State *current_run __attribute__((tls_model("initial-exec")));
/* Per thread: 0 unknown, 1 the signal is deliverable here, 2 this thread blocks it. */
static __thread int signal_usable __attribute__((tls_model("initial-exec")));

#ifdef CLUA_RUN_SIGNALS
static void on_interrupt_signal(int signo) {
    (void)signo;
    int saved = errno;
    lua_State *L = current_run;
    if (L != NULL && clua_interrupt_reason(L) != CLUA_RUNNING)
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
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
#ifdef CLUA_RUN_UNDER_TSAN
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

void clua_run_begin(lua_State *L, int64_t time_limit_ns, int count) {
    clua_ctx *c = clua_getctx(L);
    __atomic_store_n(&c->interrupt, CLUA_RUNNING, __ATOMIC_RELEASE);
    __atomic_store_n(&c->dirty, CLUA_CLEAN, __ATOMIC_RELEASE);
    c->deadline_ns = time_limit_ns > 0 ? clua_now_ns() + time_limit_ns : 0;
    c->exceeded = 0;
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
