#!/usr/bin/env bash
# Prints the two reference figures for the seed benchmark (Examples/Scripts/seed.lua,
# 5 keys, ARGV[1]='[1,2,3,4,5]') on this machine, so a LuaStore figure can be
# quoted as a ratio measured in the same run:
#   1. lua_floor: Lua 5.4 + lua-cjson + a minimal C list store, one core, no locks.
#      The practical ceiling for running this script in-process.
#   2. redis-server (Debian package) driven by redis-benchmark over loopback,
#      1 connection, pipeline 5 -- the setup of the Redis figure in Dragonfly's post
#      "Leveraging the power of Lua scripting with Dragonfly", where seed.lua comes from.
# N (default 100000) is the number of scripts redis-benchmark sends.
# Needs: gcc, liblua5.4-dev, lua-cjson-dev, redis-server, redis-tools, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill "$(cat "$work/redis.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT

gcc -O2 $(pkg-config --cflags lua5.4) "$here/lua_floor.c" -o "$work/lua_floor" $(pkg-config --libs lua5.4 lua5.4-cjson)
"$work/lua_floor"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work"
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
sha=$(redis-cli -p "$port" SCRIPT LOAD "$(cat "$here/../../Examples/Scripts/seed.lua")")
rps=$(redis-benchmark -p "$port" -c 1 -P 5 -n "${N:-100000}" --csv \
      EVALSHA "$sha" 5 l1 l2 l3 l4 l5 '[1,2,3,4,5]' | tail -1 \
      | python3 -c 'import csv,sys; print(next(csv.reader(sys.stdin))[1])')
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*'): $rps scripts/s (1 connection, pipeline 5)"
