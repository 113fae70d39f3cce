/*
 * HMAC-SHA1 (RFC 2104) for libsrtp 2.5 over OpenSSL's SHA-1 block functions, compiled into siprecd's
 * libsrtp build in place of libsrtp's hmac_ossl.c (scripts/build-libsrtp.sh).
 *
 * Why: with OpenSSL 3, hmac_ossl.c re-initialises an EVP_MAC_CTX for every packet, which allocates twice
 * a packet; libsrtp's own SHA-1 allocates nothing but is about four times slower. Here the inner and outer
 * states (key XOR ipad, key XOR opad) are hashed once per key and copied per packet: a struct copy, no heap,
 * and OpenSSL's assembly SHA-1 (SHA-NI or AVX2 where the CPU has them).
 *
 * The interface is libsrtp's srtp_auth_type_t; it is checked at start-up by libsrtp's own self-test
 * (srtp_hmac_test_case_0, RFC 2202) and by siprecd's SRTP tests against the same library as sender.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <string.h>
#include <openssl/sha.h>
#include "auth.h"
#include "alloc.h"
#include "datatypes.h"
#include "err.h" /* srtp_debug_module_t */
#include "auth_test_cases.h"

srtp_debug_module_t srtp_mod_hmac = {
    0,                                 /* debugging is off by default */
    "hmac sha-1 (openssl block functions)" /* printable name            */
};

typedef struct {
    SHA_CTX inner; /* state after key ^ ipad */
    SHA_CTX outer; /* state after key ^ opad */
    SHA_CTX ctx;   /* this packet's inner hash */
} siprecd_hmac_ctx_t;

extern const srtp_auth_type_t srtp_hmac;

static srtp_err_status_t siprecd_hmac_alloc(srtp_auth_t **a, int key_len, int out_len)
{
    uint8_t *pointer;
    if (key_len > 20 || out_len > 20) {
        return srtp_err_status_bad_param;
    }
    pointer = (uint8_t *)srtp_crypto_alloc(sizeof(siprecd_hmac_ctx_t) + sizeof(srtp_auth_t));
    if (pointer == NULL) {
        return srtp_err_status_alloc_fail;
    }
    *a = (srtp_auth_t *)pointer;
    (*a)->type = &srtp_hmac;
    (*a)->state = pointer + sizeof(srtp_auth_t);
    (*a)->out_len = out_len;
    (*a)->key_len = key_len;
    (*a)->prefix_len = 0;
    return srtp_err_status_ok;
}

static srtp_err_status_t siprecd_hmac_dealloc(srtp_auth_t *a)
{
    octet_string_set_to_zero(a, sizeof(siprecd_hmac_ctx_t) + sizeof(srtp_auth_t));
    srtp_crypto_free(a);
    return srtp_err_status_ok;
}

static srtp_err_status_t siprecd_hmac_init(void *statev, const uint8_t *key, int key_len)
{
    siprecd_hmac_ctx_t *state = (siprecd_hmac_ctx_t *)statev;
    uint8_t ipad[64], opad[64];
    int i;
    if (key_len < 0 || key_len > 20) {
        return srtp_err_status_bad_param;
    }
    for (i = 0; i < 64; i++) {
        uint8_t k = i < key_len ? key[i] : 0;
        ipad[i] = k ^ 0x36;
        opad[i] = k ^ 0x5c;
    }
    if (!SHA1_Init(&state->inner) || !SHA1_Update(&state->inner, ipad, 64) || !SHA1_Init(&state->outer) ||
        !SHA1_Update(&state->outer, opad, 64)) {
        octet_string_set_to_zero(ipad, sizeof ipad);
        octet_string_set_to_zero(opad, sizeof opad);
        return srtp_err_status_auth_fail;
    }
    octet_string_set_to_zero(ipad, sizeof ipad);
    octet_string_set_to_zero(opad, sizeof opad);
    state->ctx = state->inner;
    return srtp_err_status_ok;
}

static srtp_err_status_t siprecd_hmac_start(void *statev)
{
    siprecd_hmac_ctx_t *state = (siprecd_hmac_ctx_t *)statev;
    state->ctx = state->inner;
    return srtp_err_status_ok;
}

static srtp_err_status_t siprecd_hmac_update(void *statev, const uint8_t *message, int msg_octets)
{
    siprecd_hmac_ctx_t *state = (siprecd_hmac_ctx_t *)statev;
    if (msg_octets < 0 || !SHA1_Update(&state->ctx, message, (size_t)msg_octets)) {
        return srtp_err_status_auth_fail;
    }
    return srtp_err_status_ok;
}

static srtp_err_status_t siprecd_hmac_compute(void *statev, const uint8_t *message, int msg_octets,
                                              int tag_len, uint8_t *result)
{
    siprecd_hmac_ctx_t *state = (siprecd_hmac_ctx_t *)statev;
    uint8_t inner_hash[SHA_DIGEST_LENGTH], tag[SHA_DIGEST_LENGTH];
    SHA_CTX outer;
    if (tag_len < 0 || tag_len > SHA_DIGEST_LENGTH) {
        return srtp_err_status_bad_param;
    }
    if (siprecd_hmac_update(state, message, msg_octets) != srtp_err_status_ok || !SHA1_Final(inner_hash, &state->ctx)) {
        return srtp_err_status_auth_fail;
    }
    outer = state->outer;
    if (!SHA1_Update(&outer, inner_hash, sizeof inner_hash) || !SHA1_Final(tag, &outer)) {
        return srtp_err_status_auth_fail;
    }
    memcpy(result, tag, (size_t)tag_len);
    octet_string_set_to_zero(&outer, sizeof outer);
    return srtp_err_status_ok;
}

static const char siprecd_hmac_description[] = "hmac sha-1 authentication function (openssl sha-1 blocks)";

const srtp_auth_type_t srtp_hmac = {
    siprecd_hmac_alloc,
    siprecd_hmac_dealloc,
    siprecd_hmac_init,
    siprecd_hmac_compute,
    siprecd_hmac_update,
    siprecd_hmac_start,
    siprecd_hmac_description,
    &srtp_hmac_test_case_0,
    SRTP_HMAC_SHA1
};
