#!/usr/bin/env bash
# `make demo`: a short tour of LuaStore through the `luastore` executable.
set -euo pipefail
luastore=${1:?path to the luastore binary}
here=$(cd "$(dirname "$0")" && pwd)

echo "== luastore cli: commands in, replies out exactly as redis-cli prints them"
"$luastore" cli --no-raw <<'CMDS'
SET greeting "hello"
APPEND greeting " world"
GET greeting
INCR visits
INCRBY visits 41
SET session abc EX 60
TTL session
MSET a 1 b 2 c 3
MGET a b nope
SET k v NX XX
INCR greeting
CMDS

echo
echo "== a Lua script (from Dragonfly's Lua scripting post: push 5 messages into 5 lists, keep the newest 51)"
"$luastore" cli --no-raw --eval "$here/Scripts/seed.lua" l1 l2 l3 l4 l5 , '[1,2,3,4,5]'

echo
echo "== luastore benchmark: in-process, 2 threads"
"$luastore" benchmark -q -n 200000 -c 2 -r 100000 SET key:__rand_int__ value
"$luastore" benchmark -q -n 200000 -c 2 -r 100000 GET key:__rand_int__
