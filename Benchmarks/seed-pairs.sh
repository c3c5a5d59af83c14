#!/usr/bin/env bash
# The seed script (Examples/Scripts/seed.lua) measured in paired rounds: each round
# runs the C+Lua ceiling (Benchmarks/reference/lua_floor.c, 100000 scripts), redis-server
# driven as anchors.sh does (1 connection, pipeline 5) and `luastore benchmark -c 1` back
# to back, and prints LuaStore's ratio to each. A shared VM's speed can drift 2x within
# minutes, so only per-round ratios and their median mean anything.
# Usage: bash Benchmarks/seed-pairs.sh [rounds]   (from the repository root; needs gcc,
# liblua5.4-dev, lua-cjson-dev, redis-server, redis-tools, python3)
set -euo pipefail
rounds=${1:-7}
root=$(cd "$(dirname "$0")/.." && pwd)
bench="$root/Benchmarks/reference"
work=$(mktemp -d)
trap 'kill "$(cat "$work/redis.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT

sed 's/int N = 400000;/int N = 100000;/' "$bench/lua_floor.c" > "$work/lua_floor.c"
gcc -O2 $(pkg-config --cflags lua5.4) "$work/lua_floor.c" -o "$work/lua_floor" $(pkg-config --libs lua5.4 lua5.4-cjson)
(cd "$root" && swift build -c release --product luastore >/dev/null)
luastore="$(cd "$root" && swift build -c release --show-bin-path)/luastore"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work"
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
sha=$(redis-cli -p "$port" SCRIPT LOAD "$(cat "$root/Examples/Scripts/seed.lua")")

for r in $(seq "$rounds"); do
  floor=$("$work/lua_floor" | tail -1 | sed 's/.*= \([0-9]*\) scripts.*/\1/')
  redis=$(redis-benchmark -p "$port" -c 1 -P 5 -n 50000 --csv EVALSHA "$sha" 5 l1 l2 l3 l4 l5 '[1,2,3,4,5]' \
          | tail -1 | python3 -c 'import csv,sys; print(next(csv.reader(sys.stdin))[1])')
  ours=$("$luastore" benchmark -c 1 -n 40000 -q --load "$root/Examples/Scripts/seed.lua" EVALSHA __sha__ 5 l1 l2 l3 l4 l5 '[1,2,3,4,5]' 2>/dev/null \
         | tail -1 | sed 's/.*: \([0-9.]*\) requests.*/\1/')
  python3 -c "print(f'round $r: lua_floor $floor/s  redis-server $redis/s  LuaStore $ours/s  ->  {$ours/$floor:.2f}x lua_floor  {$ours/$redis:.2f}x redis-server')"
done
