// This machine's memory latency, for reading the keyspace figures (Docs/Benchmarks.md,
// "What a GET at 1M keys costs"): a GET at 1M keys is one dependent cache miss, so its
// time is about this probe's "dependent" figure plus the GET's instructions.
//
//   cc -O2 -o /tmp/memlat Benchmarks/tools/memlat.c && /tmp/memlat && /tmp/memlat huge
//
// "dependent": a pointer chase through a random cycle over 64 MB, one 64-byte line per
// step (each load waits for the previous one). "independent": loads at addresses known in
// advance, which the core overlaps. With an argument, the buffer is advised for
// transparent huge pages first.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    (void)argv;
    const size_t lines = (64u << 20) / 64;
    uint64_t *a = aligned_alloc(2u << 20, lines * 64);
    size_t *order = malloc(lines * sizeof(size_t));
    if (!a || !order) return 1;
#ifdef MADV_HUGEPAGE
    if (argc > 1) madvise(a, lines * 64, MADV_HUGEPAGE);
#endif
    for (size_t i = 0; i < lines; i++) order[i] = i;
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (size_t i = lines - 1; i > 0; i--) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        size_t j = x % (i + 1), t = order[i];
        order[i] = order[j]; order[j] = t;
    }
    for (size_t i = 0; i < lines; i++) a[order[i] * 8] = order[(i + 1) % lines];

    const size_t steps = 2000000;
    size_t p = order[0];
    double t = now();
    for (size_t i = 0; i < steps; i++) p = a[p * 8];
    double dependent = (now() - t) / steps * 1e9;

    uint64_t sum = 0;
    t = now();
    for (size_t i = 0; i < steps; i++) sum += a[(i * 7919u) % lines * 8];
    double independent = (now() - t) / steps * 1e9;

    printf("%s: dependent %.1f ns/load, independent %.1f ns/load (%llu)\n",
           argc > 1 ? "huge pages advised" : "default pages", dependent, independent,
           (unsigned long long)(p + sum));
    return 0;
}
