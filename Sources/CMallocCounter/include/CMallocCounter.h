#include <stdint.h>
/// Number of malloc/calloc/realloc calls made by the process since start (benchmark builds only).
uint64_t siprecd_malloc_count(void);
