// Counts heap allocations for the benchmark by interposing the allocator entry points.
//
// An executable's definitions take precedence over libc's for every shared object (ELF symbol
// interposition), so the Swift runtime, Foundation-free stdlib, libmp3lame and libc itself all come
// through here. Each function forwards to glibc's real implementation (__libc_*), so behaviour is
// unchanged; the only cost is one relaxed atomic increment. Link this target into benchmark
// executables only.
#include "CMallocCounter.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(__GLIBC__)
// Interposition through __libc_* is glibc-only; elsewhere nothing is counted.
int siprecd_malloc_counting(void) { return 1; }

uint64_t siprecd_malloc_count(void) { return 0; }
int siprecd_malloc_counting(void) { return 0; }
#else
#include <stdatomic.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);
extern void __libc_free(void *pointer);

static _Atomic uint64_t allocations = 0;

static inline void count(void) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

int siprecd_malloc_counting(void) { return 1; }

uint64_t siprecd_malloc_count(void) {
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}

void *malloc(size_t size) {
    count();
    return __libc_malloc(size);
}

void *calloc(size_t count_, size_t size) {
    count();
    return __libc_calloc(count_, size);
}

void *realloc(void *pointer, size_t size) {
    count();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) {
        return EINVAL;
    }
    count();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}

void *valloc(size_t size) {
    count();
    return __libc_valloc(size);
}

void *pvalloc(size_t size) {
    count();
    return __libc_pvalloc(size);
}

void free(void *pointer) {
    __libc_free(pointer);
}

#endif

#if defined(__GLIBC__)
#include <malloc.h>
uint64_t siprecd_heap_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return (uint64_t)(info.uordblks + info.hblkhd);
}
#else
uint64_t siprecd_heap_in_use(void) { return 0; }
#endif
