// Seed-benchmark ceiling: Lua 5.4 + lua-cjson + a minimal native list store, one core, no locks, no Swift.
// The script is seed.lua's text; it runs N times with KEYS = l1..l5 and ARGV[1] = '[1,2,3,4,5]'.
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <lua-cjson.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#define NK 64
typedef struct { char key[32]; char *items[128]; size_t lens[128]; int head, n; } List;
static List lists[NK]; static int nlists;
static List *find(const char *k, size_t kl) {
  for (int i = 0; i < nlists; i++) if (strncmp(lists[i].key, k, kl) == 0 && lists[i].key[kl] == 0) return &lists[i];
  List *l = &lists[nlists++]; memcpy(l->key, k, kl); l->key[kl] = 0; return l;
}
static long calls;
static int pcall_(lua_State *L) {
  size_t cl, kl; const char *cmd = luaL_checklstring(L, 1, &cl); const char *key = luaL_checklstring(L, 2, &kl);
  List *l = find(key, kl); calls++;
  if (cmd[1] == 'P') { // LPUSH: copy value like a store would
    size_t vl; const char *v = luaL_tolstring(L, 3, &vl);
    char *c = malloc(vl); memcpy(c, v, vl);
    l->head = (l->head + 127) % 128; l->items[l->head] = c; l->lens[l->head] = vl; l->n++;
    lua_pushinteger(L, l->n); return 1;
  } else { // LTRIM 0 50
    lua_Integer stop = luaL_checkinteger(L, 4);
    while (l->n > stop + 1) { int tail = (l->head + l->n - 1) % 128; free(l->items[tail]); l->n--; }
    lua_pushliteral(L, "OK"); return 1;
  }
}
int main(int argc, char **argv) {
  lua_State *L = luaL_newstate(); luaL_openlibs(L);
  luaopen_cjson(L); lua_setglobal(L, "cjson");
  lua_newtable(L); lua_pushcfunction(L, pcall_); lua_setfield(L, -2, "pcall"); lua_setglobal(L, "redis");
  const char *src = "local messages = cjson.decode(ARGV[1])\n"
    "for _, key in ipairs(KEYS) do\n for _, message in ipairs(messages) do\n"
    "  redis.pcall('LPUSH', key, message)\n  redis.pcall('LTRIM', key, 0, 50)\n end\nend\nreturn 'OK'";
  if (luaL_loadstring(L, src)) { puts(lua_tostring(L, -1)); return 1; }
  int fn = luaL_ref(L, LUA_REGISTRYINDEX);
  int N = 400000; struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < N; i++) {
    lua_newtable(L); const char *ks[] = {"l1","l2","l3","l4","l5"};
    for (int j = 0; j < 5; j++) { lua_pushstring(L, ks[j]); lua_rawseti(L, -2, j+1); } lua_setglobal(L, "KEYS");
    lua_newtable(L); lua_pushstring(L, "[1,2,3,4,5]"); lua_rawseti(L, -2, 1); lua_setglobal(L, "ARGV");
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
    if (lua_pcall(L, 0, 1, 0)) { puts(lua_tostring(L, -1)); return 1; }
    lua_pop(L, 1);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double dt = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
  printf("C+Lua floor: %d scripts in %.3fs = %.0f scripts/s, %.0f ns per redis call\n", N, dt, N/dt, dt/calls*1e9);
}
