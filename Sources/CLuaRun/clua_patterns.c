/* string.find, string.match, string.gmatch and string.gsub for the sandbox: Lua 5.4's
 * pattern matching, with the same results and error messages, plus a stop check.
 *
 * Lua's matcher backtracks: a pattern can take time quadratic in the subject's length
 * ('.-b' over a long run of 'a's) or worse (several greedy items in a row). It runs in C,
 * where no hook fires, so neither the time limit nor SCRIPT KILL could stop it. This one
 * counts its work and, every CHECK_INTERVAL units, asks CLuaRun whether the run must stop
 * (clua_run_should_stop); if so it unwinds without a match and the function returns at
 * once, and the next instruction raises the stop from the hook.
 *
 * The matching follows the semantics of the Lua 5.4 manual (section 6.4.1) and of its
 * implementation, which decides every detail the manual leaves open: which match a
 * backtracking order finds, the 200-deep recursion limit ("pattern too complex"), 32
 * captures, the reading of the terminating '\0' of subject and pattern (Lua strings always
 * have one) at their ends, how gsub and gmatch step past empty matches. The tests compare
 * it with liblua's on random patterns and subjects (PatternTests). */
#include "clua_run.h"
#include "clua_shim.h"

#include <ctype.h>

/* Lua errors unwind every function here (see CLUA_UNWOUND_BY_LUA in clua_shim.h). */
#ifdef CLUA_UNDER_TSAN
#pragma clang attribute push (__attribute__((disable_sanitizer_instrumentation)), apply_to = function)
#endif

#define PAT_ESC '%'
#define PAT_SPECIALS "^$*+?.([%-"
#define PAT_MAX_DEPTH 200               /* Lua's MAXCCALLS for 'match' */
#define PAT_MAX_CAPTURES 32             /* Lua's LUA_MAXCAPTURES */
#define CHECK_INTERVAL (1 << 16)        /* work units between two stop checks */

enum { CAPTURE_OPEN = -1, CAPTURE_POSITION = -2 };

typedef struct Matcher {
    const char *subject;                /* first byte of the subject */
    const char *subject_end;            /* its terminating '\0' */
    const char *pattern_end;            /* the pattern's terminating '\0' */
    lua_State *L;
    int depth_left;                     /* recursion left before "pattern too complex" */
    int captures;                       /* captures opened so far (finished or not) */
    long budget;                        /* work left before the next stop check */
    int stopped;                        /* the run must stop: unwind without a match */
    struct {
        const char *start;
        ptrdiff_t length;               /* or CAPTURE_OPEN / CAPTURE_POSITION */
    } capture[PAT_MAX_CAPTURES];
} Matcher;

/* Charges `units` of work; returns 1 once the run must stop. */
static int charge(Matcher *m, long units) {
    if (m->stopped) return 1;
    m->budget -= units;
    if (m->budget < 0) {
        m->budget = CHECK_INTERVAL;
        if (clua_run_should_stop(m->L)) m->stopped = 1;
    }
    return m->stopped;
}

static const char *match_here(Matcher *m, const char *s, const char *p);

static int capture_index(Matcher *m, int digit) {
    int i = digit - '1';
    if (i < 0 || i >= m->captures || m->capture[i].length == CAPTURE_OPEN)
        return luaL_error(m->L, "invalid capture index %%%d", i + 1);
    return i;
}

static int innermost_open_capture(Matcher *m) {
    for (int i = m->captures - 1; i >= 0; i--)
        if (m->capture[i].length == CAPTURE_OPEN) return i;
    return luaL_error(m->L, "invalid pattern capture");
}

/* The end of the single-character class starting at p ('x', '%x', '[...]'). */
static const char *class_end(Matcher *m, const char *p) {
    char c = *p++;
    if (c == PAT_ESC) {
        if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c == '[') {
        if (*p == '^') p++;
        do {                            /* the first character may be ']' */
            if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
            c = *p++;
            if (c == PAT_ESC && p < m->pattern_end) p++;
        } while (*p != ']');
        return p + 1;
    }
    return p;
}

/* Whether byte c is in class %cl (its complement when cl is upper case); any other cl
 * stands for itself. */
static int in_class(int c, int cl) {
    int yes;
    switch (tolower(cl)) {
    case 'a': yes = isalpha(c); break;
    case 'c': yes = iscntrl(c); break;
    case 'd': yes = isdigit(c); break;
    case 'g': yes = isgraph(c); break;
    case 'l': yes = islower(c); break;
    case 'p': yes = ispunct(c); break;
    case 's': yes = isspace(c); break;
    case 'u': yes = isupper(c); break;
    case 'w': yes = isalnum(c); break;
    case 'x': yes = isxdigit(c); break;
    case 'z': yes = (c == 0); break;    /* deprecated, still accepted by 5.4 */
    default: return cl == c;
    }
    return islower(cl) ? yes != 0 : yes == 0;
}

/* Whether byte c is in the set that starts at p ('[') and ends at last (its ']'). */
static int in_set(int c, const char *p, const char *last) {
    int found = 1;
    if (p[1] == '^') {
        found = 0;
        p++;
    }
    while (++p < last) {
        if (*p == PAT_ESC) {
            p++;
            if (in_class(c, (unsigned char)*p)) return found;
        } else if (p[1] == '-' && p + 2 < last) {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return found;
            p += 2;
        } else if ((unsigned char)*p == c) {
            return found;
        }
    }
    return !found;
}

/* Whether the subject byte at s matches the class from p to class_end (ep). */
static int matches_one(Matcher *m, const char *s, const char *p, const char *ep) {
    if (s >= m->subject_end) return 0;
    int c = (unsigned char)*s;
    switch (*p) {
    case '.': return 1;
    case PAT_ESC: return in_class(c, (unsigned char)p[1]);
    case '[': return in_set(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

/* %bxy at p (pointing at x): the end of a balanced x...y starting at s, or NULL. */
static const char *match_balance(Matcher *m, const char *s, const char *p) {
    if (p >= m->pattern_end - 1)
        luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
    if (*s != *p) return NULL;          /* at the subject's end, its '\0' */
    char open = p[0], close = p[1];
    int depth = 1;
    const char *from = s;
    while (++s < m->subject_end) {
        if (*s == close) {
            if (--depth == 0) {
                charge(m, s - from);
                return s + 1;
            }
        } else if (*s == open) {
            depth++;
        }
    }
    charge(m, s - from);
    return NULL;
}

/* Item p..ep followed by '*' (or '+' after its first match): longest first. */
static const char *match_greedy(Matcher *m, const char *s, const char *p, const char *ep) {
    ptrdiff_t n = 0;
    while (matches_one(m, s + n, p, ep)) n++;
    if (charge(m, n)) return NULL;
    for (; n >= 0; n--) {
        const char *end = match_here(m, s + n, ep + 1);
        if (end != NULL) return end;
        if (m->stopped) return NULL;
    }
    return NULL;
}

/* Item p..ep followed by '-': shortest first. */
static const char *match_lazy(Matcher *m, const char *s, const char *p, const char *ep) {
    for (;;) {
        const char *end = match_here(m, s, ep + 1);
        if (end != NULL || m->stopped) return end;
        if (!matches_one(m, s, p, ep)) return NULL;
        s++;
    }
}

static const char *open_capture(Matcher *m, const char *s, const char *p, ptrdiff_t kind) {
    int i = m->captures;
    if (i >= PAT_MAX_CAPTURES) luaL_error(m->L, "too many captures");
    m->capture[i].start = s;
    m->capture[i].length = kind;
    m->captures = i + 1;
    const char *end = match_here(m, s, p);
    if (end == NULL) m->captures--;
    return end;
}

static const char *close_capture(Matcher *m, const char *s, const char *p) {
    int i = innermost_open_capture(m);
    m->capture[i].length = s - m->capture[i].start;
    const char *end = match_here(m, s, p);
    if (end == NULL) m->capture[i].length = CAPTURE_OPEN;
    return end;
}

/* %1 to %9: the text of an earlier capture again. */
static const char *match_back_reference(Matcher *m, const char *s, int digit) {
    int i = capture_index(m, digit);
    size_t n = (size_t)m->capture[i].length;
    if ((size_t)(m->subject_end - s) < n || memcmp(m->capture[i].start, s, n) != 0) return NULL;
    charge(m, (long)n);
    return s + n;
}

/* Matches pattern p at subject position s: the end of the match, or NULL. */
static const char *match_here(Matcher *m, const char *s, const char *p) {
    if (m->depth_left-- == 0) luaL_error(m->L, "pattern too complex");
    if (charge(m, 1)) {
        m->depth_left++;
        return NULL;
    }
    for (;;) {                          /* each `continue` is a tail call on (s, p) */
        if (p == m->pattern_end) break;
        if (*p == '(') {
            s = p[1] == ')' ? open_capture(m, s, p + 2, CAPTURE_POSITION)
                            : open_capture(m, s, p + 1, CAPTURE_OPEN);
            break;
        }
        if (*p == ')') {
            s = close_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m->pattern_end) {
            if (s != m->subject_end) s = NULL;
            break;
        }
        if (*p == PAT_ESC && p[1] == 'b') {
            s = match_balance(m, s, p + 2);
            if (s == NULL) break;
            p += 4;
            continue;
        }
        if (*p == PAT_ESC && p[1] == 'f') {
            p += 2;
            if (*p != '[') luaL_error(m->L, "missing '[' after '%%f' in pattern");
            const char *ep = class_end(m, p);
            int before = s == m->subject ? 0 : (unsigned char)s[-1];
            int here = (unsigned char)*s;   /* at the subject's end, its '\0' */
            if (!in_set(before, p, ep - 1) && in_set(here, p, ep - 1)) {
                p = ep;
                continue;
            }
            s = NULL;
            break;
        }
        if (*p == PAT_ESC && isdigit((unsigned char)p[1])) {
            s = match_back_reference(m, s, (unsigned char)p[1]);
            if (s == NULL) break;
            p += 2;
            continue;
        }
        /* A single-character class, with an optional quantifier after it. */
        const char *ep = class_end(m, p);
        char quantifier = *ep;          /* at the pattern's end, its '\0' */
        if (!matches_one(m, s, p, ep)) {
            if (quantifier == '*' || quantifier == '?' || quantifier == '-') {
                p = ep + 1;
                continue;
            }
            s = NULL;
            break;
        }
        if (quantifier == '?') {
            const char *end = match_here(m, s + 1, ep + 1);
            if (end != NULL || m->stopped) {
                s = end;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (quantifier == '+') {
            s = match_greedy(m, s + 1, p, ep);
            break;
        }
        if (quantifier == '*') {
            s = match_greedy(m, s, p, ep);
            break;
        }
        if (quantifier == '-') {
            s = match_lazy(m, s, p, ep);
            break;
        }
        s++;
        p = ep;
    }
    m->depth_left++;
    return m->stopped ? NULL : s;
}

static void matcher_init(Matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    m->L = L;
    m->depth_left = PAT_MAX_DEPTH;
    m->subject = s;
    m->subject_end = s + ls;
    m->pattern_end = p + lp;
    m->budget = CHECK_INTERVAL;
    m->stopped = 0;
    m->captures = 0;
}

/* Capture i as a string (its start in *text) or, for a position capture, pushed as an
 * integer (returns CAPTURE_POSITION). With no captures, capture 0 is the whole match s..e. */
static ptrdiff_t capture_value(Matcher *m, int i, const char *s, const char *e, const char **text) {
    if (i >= m->captures) {
        if (i != 0) luaL_error(m->L, "invalid capture index %%%d", i + 1);
        *text = s;
        return e - s;
    }
    ptrdiff_t length = m->capture[i].length;
    *text = m->capture[i].start;
    if (length == CAPTURE_OPEN) luaL_error(m->L, "unfinished capture");
    if (length == CAPTURE_POSITION) lua_pushinteger(m->L, (m->capture[i].start - m->subject) + 1);
    return length;
}

static void push_capture(Matcher *m, int i, const char *s, const char *e) {
    const char *text;
    ptrdiff_t length = capture_value(m, i, s, e, &text);
    if (length != CAPTURE_POSITION) lua_pushlstring(m->L, text, (size_t)length);
}

/* Pushes every capture (or the whole match s..e when there is none and s is given). */
static int push_captures(Matcher *m, const char *s, const char *e) {
    int n = (m->captures == 0 && s != NULL) ? 1 : m->captures;
    luaL_checkstack(m->L, n, "too many captures");
    for (int i = 0; i < n; i++) push_capture(m, i, s, e);
    return n;
}

/* Lua's posrelatI: a 1-based start position from a possibly negative one. */
static size_t start_position(lua_Integer pos, size_t length) {
    if (pos > 0) return (size_t)pos;
    if (pos == 0) return 1;
    if (pos < -(lua_Integer)length) return 1;
    return length + (size_t)pos + 1;
}

static int has_specials(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++)
        if (p[i] != '\0' && strchr(PAT_SPECIALS, p[i]) != NULL) return 1;
    return 0;
}

static const char *find_plain(const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    const char *last = s + (ls - lp);
    for (const char *at = s; at <= last; at++) {
        at = memchr(at, p[0], (size_t)(last - at) + 1);
        if (at == NULL) return NULL;
        if (memcmp(at + 1, p + 1, lp - 1) == 0) return at;
    }
    return NULL;
}

static int find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
        const char *at = find_plain(s + init, ls - init, p, lp);
        if (at != NULL) {
            lua_pushinteger(L, (at - s) + 1);
            lua_pushinteger(L, (lua_Integer)((at - s) + lp));
            return 2;
        }
        luaL_pushfail(L);
        return 1;
    }
    Matcher m;
    const char *from = s + init;
    int anchored = *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    matcher_init(&m, L, s, ls, p, lp);
    do {
        m.captures = 0;
        const char *end = match_here(&m, from, p);
        if (m.stopped) break;
        if (end != NULL) {
            if (find) {
                lua_pushinteger(L, (from - s) + 1);
                lua_pushinteger(L, end - s);
                return push_captures(&m, NULL, NULL) + 2;
            }
            return push_captures(&m, from, end);
        }
    } while (from++ < m.subject_end && !anchored);
    luaL_pushfail(L);
    return 1;
}

static int pattern_find(lua_State *L) { return find_or_match(L, 1); }
static int pattern_match(lua_State *L) { return find_or_match(L, 0); }

/* gmatch's iterator state, a full userdata kept as upvalue 3 (the subject and pattern
 * strings are upvalues 1 and 2, so they outlive the pointers into them). */
typedef struct Iteration {
    const char *at;                     /* where the next search starts */
    const char *pattern;
    const char *previous_end;           /* end of the previous match (no empty match there) */
    Matcher m;
} Iteration;

static int gmatch_next(lua_State *L) {
    Iteration *it = (Iteration *)lua_touserdata(L, lua_upvalueindex(3));
    it->m.L = L;
    for (const char *from = it->at; from <= it->m.subject_end; from++) {
        it->m.captures = 0;
        const char *end = match_here(&it->m, from, it->pattern);
        if (it->m.stopped) {
            it->m.stopped = 0;          /* a later run may resume the iterator */
            return 0;
        }
        if (end != NULL && end != it->previous_end) {
            it->at = it->previous_end = end;
            return push_captures(&it->m, from, end);
        }
    }
    return 0;
}

static int pattern_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    lua_settop(L, 2);
    Iteration *it = (Iteration *)lua_newuserdatauv(L, sizeof(Iteration), 0);
    if (init > ls) init = ls + 1;
    matcher_init(&it->m, L, s, ls, p, lp);
    it->at = s + init;
    it->pattern = p;
    it->previous_end = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* Appends the replacement string (argument 3) for the match s..e, with %0-%9 and %%. */
static void add_replacement_string(Matcher *m, luaL_Buffer *b, const char *s, const char *e) {
    lua_State *L = m->L;
    size_t left;
    const char *r = lua_tolstring(L, 3, &left);
    const char *esc;
    while ((esc = memchr(r, PAT_ESC, left)) != NULL) {
        luaL_addlstring(b, r, (size_t)(esc - r));
        esc++;                          /* at the replacement's end, its '\0' */
        if (*esc == PAT_ESC) {
            luaL_addchar(b, PAT_ESC);
        } else if (*esc == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit((unsigned char)*esc)) {
            const char *text;
            ptrdiff_t length = capture_value(m, *esc - '1', s, e, &text);
            if (length == CAPTURE_POSITION) luaL_addvalue(b);
            else luaL_addlstring(b, text, (size_t)length);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", PAT_ESC);
        }
        left -= (size_t)(esc + 1 - r);
        r = esc + 1;
    }
    luaL_addlstring(b, r, left);
}

/* Appends the replacement for the match s..e; returns whether it differs from the match. */
static int add_replacement(Matcher *m, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = m->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = push_captures(m, s, e);
        lua_call(L, n, 1);
    } else if (kind == LUA_TTABLE) {
        push_capture(m, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_replacement_string(m, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {        /* nil or false: keep the match */
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int pattern_gsub(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *previous_end = NULL;
    int kind = lua_type(L, 3);
    lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    int anchored = *p == '^';
    lua_Integer n = 0;
    int changed = 0;
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (anchored) {
        p++;
        lp--;
    }
    Matcher m;
    matcher_init(&m, L, s, ls, p, lp);
    while (n < max) {
        m.captures = 0;
        const char *end = match_here(&m, s, p);
        if (m.stopped) {                /* nobody sees the result: the stop raises next */
            lua_pushvalue(L, 1);
            lua_pushinteger(L, 0);
            return 2;
        }
        if (end != NULL && end != previous_end) {
            n++;
            changed = add_replacement(&m, &b, s, end, kind) | changed;
            s = previous_end = end;
        } else if (s < m.subject_end) {
            luaL_addchar(&b, *s++);
        } else {
            break;
        }
        if (anchored) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, s, (size_t)(m.subject_end - s));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

void clua_run_push_patterns(lua_State *L) {
    lua_createtable(L, 0, 4);
    lua_pushcfunction(L, pattern_find);
    lua_setfield(L, -2, "find");
    lua_pushcfunction(L, pattern_match);
    lua_setfield(L, -2, "match");
    lua_pushcfunction(L, pattern_gmatch);
    lua_setfield(L, -2, "gmatch");
    lua_pushcfunction(L, pattern_gsub);
    lua_setfield(L, -2, "gsub");
}

#ifdef CLUA_UNDER_TSAN
#pragma clang attribute pop
#endif
