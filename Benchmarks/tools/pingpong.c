// How long this machine takes to move a written cache line from one core to another, for
// reading the two-thread keyspace figures (Docs/Benchmarks.md, "Two threads"): every write
// to a line the other core wrote last waits about this long.
//
//   cc -O2 -pthread -o /tmp/pingpong Benchmarks/tools/pingpong.c && /tmp/pingpong
//
// Two threads hand a counter back and forth: each waits until the other has written the
// next value, then writes its own. One handoff is one transfer of the line.
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static _Alignas(128) atomic_long counter = 0;
enum { handoffs = 2000000 };

static void pass(long first) {
    for (long i = first; i < 2 * handoffs; i += 2) {
        while (atomic_load_explicit(&counter, memory_order_acquire) != i) {}
        atomic_store_explicit(&counter, i + 1, memory_order_release);
    }
}

static void *other(void *unused) {
    (void)unused;
    pass(1);
    return 0;
}

int main(void) {
    pthread_t thread;
    struct timespec a, b;
    pthread_create(&thread, 0, other, 0);
    clock_gettime(CLOCK_MONOTONIC, &a);
    pass(0);
    pthread_join(thread, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
    printf("one core to the other: %.1f ns per transfer\n", ns / (2.0 * handoffs));
    return 0;
}
