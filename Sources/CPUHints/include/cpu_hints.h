// CPU hints Swift has no spelling for. Header-only: `static inline`, so the Swift
// compiler inlines them into its callers (one instruction each).
#ifndef LUASTORE_CPU_HINTS_H
#define LUASTORE_CPU_HINTS_H

/// Tells the core it is in a spin-wait loop (x86 `pause`, ARM `yield`): the loop runs
/// slower, which frees resources for a sibling hardware thread, and leaving it does not
/// pay a memory-order mis-speculation.
static inline void luastore_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

/// Starts fetching the cache line at `address` for reading, without waiting for it and
/// without faulting: any address, even a stale or unmapped one, is allowed.
static inline void luastore_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
