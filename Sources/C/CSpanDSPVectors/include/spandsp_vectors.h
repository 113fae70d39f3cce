#ifndef SIPRECD_SPANDSP_VECTORS_H
#define SIPRECD_SPANDSP_VECTORS_H

#include <stdint.h>

/* spandsp's integer dot products, which its G.722 codec calls, as plain C (vector_int.c says why). */
int32_t vec_dot_prodi16(const int16_t x[], const int16_t y[], int n);
int32_t vec_circular_dot_prodi16(const int16_t x[], const int16_t y[], int n, int pos);

#endif
