#!/bin/bash
# Runs the load matrix of benchmarks/README.md and prints the medians.
#   benchmarks/run-load.sh [results.jsonl]
#   env: DUR=6 (measured s) WARMUP=4 (s) REPS=3 QUIET=25 (see below) SEED=1 (also drive the seed's Python server)
# Every run starts a fresh `serve` process (taskset -c 0, or all CPUs for the "both cores" rows); the load client
# pins itself to CPU 1, as /work/shared/anchors/seed/run_all.sh pins ws_load.js. Loopback only.
# Steady state: the server starts with tiered-JIT call counting from the first call (--tiering fast, the default of
# `load`) and 4 s of warm-up; two rows per repetition show the default runtime with ws_load.js's 1 s warm-up.
set -eu
cd "$(dirname "$0")/.."
OUT=${1:-benchmarks/results/load-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
DUR=${DUR:-6}
WARMUP=${WARMUP:-4}
REPS=${REPS:-3}
SEED=${SEED:-0}
QUIET=${QUIET:-25}   # wait until other processes use at most this % of a CPU before each run
mkdir -p "$(dirname "$OUT")"
dotnet build -c Release benchmarks/SynthNotebook.Benchmarks -v q -nologo | grep -Ev '^\s*$' || true
DLL=benchmarks/SynthNotebook.Benchmarks/bin/Release/net10.0/SynthNotebook.Benchmarks.dll

load() { dotnet "$DLL" load --duration "$DUR" --warmup "$WARMUP" --wait-quiet "$QUIET" --out "$OUT" "$@" | grep -v '^{' || echo "load $* failed"; }

for rep in $(seq "$REPS"); do
  echo "=== repetition $rep of $REPS -> $OUT"
  for cpus in 0 all; do
    load --server-cpus $cpus --clients 1 --inflight 1
    for c in 1 4 16 64; do load --server-cpus $cpus --clients $c --inflight 10; done
    load --server-cpus $cpus --components 500 --clients 16 --inflight 10
    load --server-cpus $cpus --seed-mode --clients 1 --inflight 1
    load --server-cpus $cpus --seed-mode --clients 16 --inflight 10
  done
  load --server-cpus 0 --components 500 --clients 1 --inflight 1
  load --server-cpus 0 --aged --clients 1 --inflight 1
  load --server-cpus 0 --aged --clients 16 --inflight 10
  load --server-cpus 0 --tiering default --clients 1 --inflight 1 --warmup 1
  load --server-cpus 0 --tiering default --clients 16 --inflight 10 --warmup 1
  if [ "$SEED" = 1 ]; then
    # The seed's own server, measured by this client (seed mode), to check it agrees with ws_load.js.
    SEED_PORT=${SEED_PORT:-8899}
    for cfg in "1 1" "16 10"; do
      set -- $cfg
      taskset -c 0 /usr/bin/python3 /work/shared/anchors/seed/seed_server.py --port "$SEED_PORT" --quiet > /dev/null 2>&1 &
      spid=$!
      sleep 1.5
      load --label seed-python --port "$SEED_PORT" --pid "$spid" --seed-mode --clients "$1" --inflight "$2"
      kill "$spid"; wait "$spid" 2>/dev/null || true
    done
  fi
done
echo "=== medians ($OUT)"
dotnet "$DLL" summarize "$OUT"
