#ifndef SIPRECD_MALLOC_COUNTER_H
#define SIPRECD_MALLOC_COUNTER_H
#include <stdint.h>

/// Number of heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign,
/// valloc, pvalloc) made by the process since start. Benchmark builds only: counter.c interposes
/// those functions for the whole process when this target is linked into an executable.
uint64_t siprecd_malloc_count(void);

/// 1 when allocations are counted (glibc), 0 where the interposition is unavailable.
int siprecd_malloc_counting(void);

/// Bytes of heap in use (glibc's mallinfo2: in-use chunks plus mmapped blocks); 0 without glibc.
uint64_t siprecd_heap_in_use(void);

#endif
