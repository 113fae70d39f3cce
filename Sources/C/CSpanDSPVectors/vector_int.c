/*
 * The two integer dot products spandsp's G.722 codec calls, in plain C.
 *
 * Debian 12's libspandsp.a (0.0.6+dfsg-2) builds them from hand-written MMX inline assembly that does not
 * declare the registers it clobbers. In the shared library every call goes through the PLT, so nothing
 * relies on them; in the static archive GCC's inter-procedural register allocation assumes
 * vec_dot_prodi16 keeps %rdx, and vec_circular_dot_prodi16 then indexes the second half of its product
 * with garbage: g722_decode reads far outside its tables and the appliance binary (make static) crashed on
 * the first G.722 packet, while every other build worked. Defined here, these are linked instead (the
 * archive member that holds spandsp's copies is never pulled in), and in the shared build they take the
 * place of the library's by symbol interposition. Same arithmetic (32-bit sums of 16×16-bit products), so
 * the decode is bit-exact to the shared library's (Tests/integration/test_static_binary.py).
 */
#include "spandsp_vectors.h"

int32_t vec_dot_prodi16(const int16_t x[], const int16_t y[], int n)
{
    int32_t z = 0;
    for (int i = 0; i < n; i++)
        z += (int32_t) x[i] * y[i];
    return z;
}

int32_t vec_circular_dot_prodi16(const int16_t x[], const int16_t y[], int n, int pos)
{
    return vec_dot_prodi16(&x[pos], &y[0], n - pos) + vec_dot_prodi16(&x[0], &y[n - pos], pos);
}
