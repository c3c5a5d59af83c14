// Giving freed heap memory back to the system (glibc's malloc_trim, which Swift's Glibc
// module does not export). Header-only, like the CPU hints beside it.
#ifndef LUASTORE_MEMORY_RELEASE_H
#define LUASTORE_MEMORY_RELEASE_H

#include <stdlib.h> /* defines __GLIBC__ where glibc is the C library */
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Returns the free memory at the top of the heap and in free pages inside it to the
/// system. Takes glibc's arena locks and walks the free lists: milliseconds for a large
/// heap, so callers run it off any lock, rarely. Returns 1 when memory went back, 0 when
/// none could (or glibc is not the allocator).
static inline int luastore_release_free_memory(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

#endif
