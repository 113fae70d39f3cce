// libcrypto (OpenSSL 3) for the RS256 / ES256 checks of API tokens: reading a PEM public key and
// verifying a SHA-256 signature. Every function here owns what it allocates and frees it before
// returning, except the EVP_PKEY handles, which the Swift wrapper frees exactly once.
#ifndef SIPRECD_COPENSSL_SHIM_H
#define SIPRECD_COPENSSL_SHIM_H

#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include "tls_session.h"

/// A public key from PEM text (SubjectPublicKeyInfo), or NULL.
static inline EVP_PKEY *siprecd_pem_public_key(const char *pem, int length) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    ERR_clear_error();
    return key;
}

/// A private key from PEM text, or NULL (tests sign with it).
static inline EVP_PKEY *siprecd_pem_private_key(const char *pem, int length) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    ERR_clear_error();
    return key;
}

static inline void siprecd_key_free(EVP_PKEY *key) { EVP_PKEY_free(key); }

/// 1 for RSA, 2 for an EC key on P-256, 3 for another EC curve, 0 otherwise.
static inline int siprecd_key_kind(EVP_PKEY *key) {
    int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_RSA) return 1;
    if (id != EVP_PKEY_EC) return 0;
    char name[64];
    size_t length = 0;
    if (EVP_PKEY_get_group_name(key, name, sizeof name, &length) != 1) return 3;
    return strcmp(name, "prime256v1") == 0 || strcmp(name, "P-256") == 0 ? 2 : 3;
}

static inline int siprecd_key_bits(EVP_PKEY *key) { return EVP_PKEY_get_bits(key); }

/// 1 when `signature` is a valid SHA-256 signature of `data` under `key` (RSA: PKCS#1 v1.5; EC: DER
/// ECDSA), 0 when it is not, -1 on an internal error.
static inline int siprecd_verify_sha256(EVP_PKEY *key, const unsigned char *signature, size_t signatureLength,
                                        const unsigned char *data, size_t length) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context == NULL) return -1;
    int result = EVP_DigestVerifyInit(context, NULL, EVP_sha256(), NULL, key) == 1
        && EVP_DigestVerify(context, signature, signatureLength, data, length) == 1;
    EVP_MD_CTX_free(context);
    ERR_clear_error();
    return result;
}

/// Signs `data` with SHA-256 (RSA: PKCS#1 v1.5, or PSS when `pss`; EC: DER ECDSA). Returns the
/// signature's length written to `out`, or -1. Used by the tests to make tokens.
static inline long siprecd_sign_sha256(EVP_PKEY *key, int pss, const unsigned char *data, size_t length,
                                       unsigned char *out, size_t capacity) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context == NULL) return -1;
    EVP_PKEY_CTX *keyContext = NULL;
    size_t written = capacity;
    int ok = EVP_DigestSignInit(context, &keyContext, EVP_sha256(), NULL, key) == 1
        && (!pss || EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1)
        && EVP_DigestSign(context, out, &written, data, length) == 1;
    EVP_MD_CTX_free(context);
    ERR_clear_error();
    return ok ? (long)written : -1;
}

/// AES-256-GCM with a 12-byte nonce: a context to encrypt (`encrypt` 1) or decrypt (0), or NULL.
static inline EVP_CIPHER_CTX *siprecd_gcm_new(int encrypt, const unsigned char *key, const unsigned char *nonce) {
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    if (context == NULL) return NULL;
    if (EVP_CipherInit_ex(context, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) != 1
        || EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1
        || EVP_CipherInit_ex(context, NULL, NULL, key, nonce, encrypt) != 1) {
        EVP_CIPHER_CTX_free(context);
        return NULL;
    }
    return context;
}

/// Authenticated data (not encrypted): 1 on success.
static inline int siprecd_gcm_aad(EVP_CIPHER_CTX *context, const unsigned char *data, int length) {
    int written = 0;
    return EVP_CipherUpdate(context, NULL, &written, data, length) == 1;
}

/// En/decrypts `length` bytes into `out` (same length for GCM); returns the bytes written or -1.
static inline int siprecd_gcm_update(EVP_CIPHER_CTX *context, const unsigned char *in, int length, unsigned char *out) {
    int written = 0;
    return EVP_CipherUpdate(context, out, &written, in, length) == 1 ? written : -1;
}

/// Encryption: finishes and writes the 16-byte tag. 1 on success.
static inline int siprecd_gcm_seal(EVP_CIPHER_CTX *context, unsigned char *tag) {
    unsigned char rest[16];
    int written = 0;
    return EVP_CipherFinal_ex(context, rest, &written) == 1 && written == 0
        && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
}

/// Decryption: checks the 16-byte tag. 1 when the data is authentic.
static inline int siprecd_gcm_open(EVP_CIPHER_CTX *context, const unsigned char *tag) {
    unsigned char rest[16];
    int written = 0;
    if (EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) != 1) return 0;
    int ok = EVP_CipherFinal_ex(context, rest, &written) == 1;
    ERR_clear_error();
    return ok;
}

static inline void siprecd_gcm_free(EVP_CIPHER_CTX *context) { EVP_CIPHER_CTX_free(context); }

/// A verified TLS 1.2+ client session over a connected socket `fd`: the peer's certificate must chain
/// to `caFile` (or the system's CAs when it is NULL or empty) and name `host` (a DNS name or an IP
/// literal). NULL on failure, with the reason in `error`.
static inline SSL *siprecd_tls_connect(int fd, const char *host, int hostIsIP, const char *caFile, char *error, int errorLength) {
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) { snprintf(error, errorLength, "cannot create a TLS context"); return NULL; }
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    int loaded = caFile != NULL && caFile[0] != 0 ? SSL_CTX_load_verify_locations(context, caFile, NULL)
                                                 : SSL_CTX_set_default_verify_paths(context);
    if (loaded != 1) {
        snprintf(error, errorLength, "cannot load the CA certificates%s%s", caFile ? " from " : "", caFile ? caFile : "");
        SSL_CTX_free(context);
        ERR_clear_error();
        return NULL;
    }
    SSL *ssl = SSL_new(context);
    SSL_CTX_free(context);  // the session keeps its own reference
    if (ssl == NULL) { snprintf(error, errorLength, "cannot create a TLS session"); return NULL; }
    SSL_set_fd(ssl, fd);
    if (hostIsIP) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
    } else {
        SSL_set_tlsext_host_name(ssl, host);
        SSL_set1_host(ssl, host);
    }
    if (SSL_connect(ssl) != 1) {
        long verify = SSL_get_verify_result(ssl);
        if (verify != X509_V_OK) {
            snprintf(error, errorLength, "certificate not trusted: %s", X509_verify_cert_error_string(verify));
        } else {
            unsigned long code = ERR_get_error();
            if (code != 0) ERR_error_string_n(code, error, errorLength); else snprintf(error, errorLength, "TLS handshake failed");
        }
        SSL_free(ssl);
        ERR_clear_error();
        return NULL;
    }
    return ssl;
}

static inline int siprecd_tls_write(SSL *ssl, const void *data, int length) { return SSL_write(ssl, data, length); }
static inline int siprecd_tls_read(SSL *ssl, void *data, int length) { return SSL_read(ssl, data, length); }
static inline void siprecd_tls_close(SSL *ssl) { SSL_shutdown(ssl); SSL_free(ssl); ERR_clear_error(); }

/// Cryptographically random bytes: 1 on success.
static inline int siprecd_random(unsigned char *out, int length) { return RAND_bytes(out, length) == 1; }

#endif
