/*
 * Run control for Lua states: stopping a run from another thread (SCRIPT KILL, Swift task
 * cancellation) or when its time limit passes.
 *
 * A count hook would do it, but any count hook makes Lua's VM call luaG_traceexec before
 * *every* instruction (~33 instructions each: 8% of the seed script, twice the time of a
 * compute-bound one). So a run normally has no hook. To stop it, the stopper records the
 * reason and sends a signal to the run's thread; the handler, on that thread, sets a count
 * hook that fires at the next instruction and raises the error. This is the way lua.c
 * stops a script on Ctrl-C: lua_sethook is documented as safe to call from a signal
 * handler, and on the run's own thread nothing else touches the state meanwhile. The hook
 * goes on the Lua thread running at that moment, the run's state or a coroutine: the
 * sandbox's coroutine functions (clua_run_install) record which. A watchdog thread sends
 * the signal when a deadline passes.
 *
 * Where the signal cannot be used (every candidate signal already has a handler in this
 * process, the run's thread blocks it, or the build runs under Thread Sanitizer, which
 * delays signals until the thread calls an intercepted function, which a busy Lua loop
 * never does), runs fall back to the count hook, checked every `count` instructions.
 * A thread's signal mask is read at its first run only (a syscall per run would cost ~1%
 * of a short script): a thread that blocks the signal after running scripts would leave
 * its later runs without a working time limit, kill or cancellation.
 *
 * Functions taking a state other than from its own run's thread are safe only while that
 * run is known to be in progress (the caller holds a lock its end takes), so the thread
 * signalled is alive.
 */
#ifndef CLUA_RUN_H
#define CLUA_RUN_H

#include <stdint.h>

struct lua_State;

/* Why a run was stopped: the CLUA_KILLED, CLUA_TIMED_OUT and CLUA_CANCELLED reasons of
 * clua_shim.h. */

/* On the run's thread, right before lua_pcall: resets the stop state, records the deadline
 * (time_limit_ns 0: none) and chooses signal or hook. */
void clua_run_begin(struct lua_State *L, int64_t time_limit_ns, int count);
/* On the run's thread, right after lua_pcall. */
void clua_run_end(struct lua_State *L);
/* Any thread: stop the run for `reason` (the first reason wins). */
void clua_run_interrupt(struct lua_State *L, int reason);
/* SCRIPT KILL from any thread: 1 = the run is stopped (or already was), 0 = it has
 * written and keeps running (Redis's UNKILLABLE). */
int clua_run_try_kill(struct lua_State *L);
/* Replaces coroutine.resume, coroutine.wrap, coroutine.close, xpcall and string.find,
 * match, gmatch and gsub in L's globals with versions a stop reaches (see "Coroutines" and
 * "xpcall" in clua_run.c, and clua_patterns.c), and wraps cjson's encode and depth setters
 * (clua_cjson.c); returns a lua status. Call once, after opening the libraries and before
 * the sandbox copies them. */
int clua_run_install(struct lua_State *L);
/* Pushes a table with this module's find, match, gmatch and gsub: Lua 5.4's, checking
 * the stop as they go (clua_patterns.c). */
void clua_run_push_patterns(struct lua_State *L);
/* For C library functions that loop: 1 when the run must stop; the running thread (L) is
 * then armed, and the caller returns at once (the next instruction raises the stop). */
int clua_run_should_stop(struct lua_State *L);
/* The error text of a run stopped for `reason` (NULL for 0): the one definition of each
 * text, which the Swift side reads too (ScriptErrors.killed). */
const char *clua_run_stop_message(int reason);
/* 1 when runs are stopped by signal, 0 when they use the count hook (for tests and docs). */
int clua_run_uses_signals(void);
/* 1 when this file was compiled under Thread Sanitizer (runs then always use the hook). */
int clua_run_under_tsan(void);

#endif
