// SIP over TLS: server and client contexts (SSL_CTX) built from siprecd's [tls] files, and sessions over
// memory BIOs that the event loop feeds with ciphertext and drains, so no socket is ever touched here.
// Every SSL_CTX and SSL has exactly one Swift owner that frees it; the allowed peer names live in a
// buffer that owner allocates and frees after the context (SSL_CTX_get_app_data points at it).
#ifndef SIPRECD_COPENSSL_TLS_SESSION_H
#define SIPRECD_COPENSSL_TLS_SESSION_H

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/// Why a handshake failed, as siprecd counts it.
#define SIPRECD_TLS_OTHER 0
#define SIPRECD_TLS_NO_CLIENT_CERTIFICATE 1
#define SIPRECD_TLS_UNTRUSTED 2
#define SIPRECD_TLS_EXPIRED 3
#define SIPRECD_TLS_NOT_YET_VALID 4
#define SIPRECD_TLS_NAME_NOT_ALLOWED 5
#define SIPRECD_TLS_PROTOCOL_VERSION 6
#define SIPRECD_TLS_CERTIFICATE_REFUSED_BY_PEER 7

/// Copies the first queued OpenSSL error's text into `error` (or `fallback`) and clears the queue.
static inline void siprecd_tls_error_text(const char *fallback, char *error, int errorLength) {
    unsigned long code = ERR_peek_error();
    if (code != 0) ERR_error_string_n(code, error, errorLength); else snprintf(error, errorLength, "%s", fallback);
    ERR_clear_error();
}

/// Depth 0 of a chain that verified: the certificate must carry one of the context's allowed names
/// (IP or DNS subjectAltName, or the common name when there is no DNS name), when there are any.
static inline int siprecd_tls_verify_peer(int ok, X509_STORE_CTX *store) {
    if (!ok || X509_STORE_CTX_get_error_depth(store) != 0) return ok;
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    const char *names = ssl ? (const char *)SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)) : NULL;
    if (names == NULL || names[0] == 0) return 1;
    X509 *certificate = X509_STORE_CTX_get_current_cert(store);
    for (const char *name = names; *name != 0; name += strlen(name) + 1) {
        if (X509_check_ip_asc(certificate, name, 0) == 1) return 1;
        if (X509_check_host(certificate, name, strlen(name), 0, NULL) == 1) return 1;
    }
    X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
    return 0;
}

/// A TLS context: `server` 1 for the listener (the SRC is the client), 0 for siprecd's own connections to
/// an SRC (reconnects for in-dialog requests). `certificate`/`key`: siprecd's chain and key (the client
/// certificate when connecting). `verifyCA`: the CAs a peer must chain to (NULL/empty: none asked of a
/// client; the system's for a server). `names`: NUL-separated, double-NUL-ended allowed peer names, kept by
/// the caller for the context's life (NULL: any). NULL on failure, with the reason in `error`.
static inline SSL_CTX *siprecd_tls_context_new(int server, const char *certificate, const char *key, const char *verifyCA,
                                               int requirePeerCertificate, int minimumVersion, const char *ciphers,
                                               const char *names, char *error, int errorLength) {
    SSL_CTX *context = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (context == NULL) { siprecd_tls_error_text("cannot create a TLS context", error, errorLength); return NULL; }
    SSL_CTX_set_min_proto_version(context, minimumVersion == 13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // An idle connection keeps no 34 KB of record buffers (SBCs keep connections open for days).
    SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_set_cipher_list(context, ciphers) != 1) {
        snprintf(error, errorLength, "tls.ciphers: OpenSSL knows none of the cipher suites in \"%s\"", ciphers);
        ERR_clear_error();
        SSL_CTX_free(context);
        return NULL;
    }
    if (certificate != NULL && certificate[0] != 0) {
        if (SSL_CTX_use_certificate_chain_file(context, certificate) != 1) {
            char reason[200]; siprecd_tls_error_text("unreadable", reason, sizeof reason);
            snprintf(error, errorLength, "tls.certificate %s: no usable PEM certificate chain (%s)", certificate, reason);
            SSL_CTX_free(context);
            return NULL;
        }
        if (SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) != 1) {
            unsigned long code = ERR_peek_error();
            if (ERR_GET_LIB(code) == ERR_LIB_X509 && ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH) {
                snprintf(error, errorLength, "tls.key %s does not belong to the certificate in tls.certificate %s", key, certificate);
                ERR_clear_error();
                SSL_CTX_free(context);
                return NULL;
            }
            char reason[200]; siprecd_tls_error_text("unreadable", reason, sizeof reason);
            snprintf(error, errorLength, "tls.key %s: no usable PEM private key (%s)", key, reason);
            SSL_CTX_free(context);
            return NULL;
        }
        if (SSL_CTX_check_private_key(context) != 1) {
            snprintf(error, errorLength, "tls.key %s does not belong to the certificate in tls.certificate %s", key, certificate);
            ERR_clear_error();
            SSL_CTX_free(context);
            return NULL;
        }
    }
    int verify = SSL_VERIFY_NONE;
    if (verifyCA != NULL && verifyCA[0] != 0) {
        if (SSL_CTX_load_verify_locations(context, verifyCA, NULL) != 1) {
            char reason[200]; siprecd_tls_error_text("unreadable", reason, sizeof reason);
            snprintf(error, errorLength, "tls.clientCA %s: no usable PEM CA certificate (%s)", verifyCA, reason);
            SSL_CTX_free(context);
            return NULL;
        }
        if (server) {
            STACK_OF(X509_NAME) *list = SSL_load_client_CA_file(verifyCA);
            if (list != NULL) SSL_CTX_set_client_CA_list(context, list);
            ERR_clear_error();
        }
        verify = SSL_VERIFY_PEER | (requirePeerCertificate ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
    } else if (!server) {
        SSL_CTX_set_default_verify_paths(context);
        verify = SSL_VERIFY_PEER;
    }
    SSL_CTX_set_verify(context, verify, siprecd_tls_verify_peer);
    SSL_CTX_set_app_data(context, (void *)names);
    // Resumed sessions of clients with certificates need a session id context.
    static const unsigned char sessionContext[] = "siprecd-sip";
    SSL_CTX_set_session_id_context(context, sessionContext, sizeof sessionContext - 1);
    return context;
}

static inline void siprecd_tls_context_free(SSL_CTX *context) { SSL_CTX_free(context); }

/// A session over two memory BIOs: ciphertext in with `siprecd_tls_feed`, out with `siprecd_tls_drain`.
/// `host`: for a client, the name or IP the server's certificate must carry when the context has no
/// allowed names (NULL: chain only).
static inline SSL *siprecd_tls_session_new(SSL_CTX *context, int server, const char *host, int hostIsIP) {
    SSL *ssl = SSL_new(context);
    if (ssl == NULL) { ERR_clear_error(); return NULL; }
    BIO *in = BIO_new(BIO_s_mem()), *out = BIO_new(BIO_s_mem());
    if (in == NULL || out == NULL) { BIO_free(in); BIO_free(out); SSL_free(ssl); ERR_clear_error(); return NULL; }
    BIO_set_mem_eof_return(in, -1);
    BIO_set_mem_eof_return(out, -1);
    SSL_set_bio(ssl, in, out);
    if (server) {
        SSL_set_accept_state(ssl);
    } else {
        const char *names = (const char *)SSL_CTX_get_app_data(context);
        if (host != NULL && host[0] != 0 && (names == NULL || names[0] == 0)) {
            if (hostIsIP) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host); else SSL_set1_host(ssl, host);
        }
        if (host != NULL && host[0] != 0 && !hostIsIP) SSL_set_tlsext_host_name(ssl, host);
        SSL_set_connect_state(ssl);
    }
    return ssl;
}

static inline void siprecd_tls_session_free(SSL *ssl) { SSL_free(ssl); ERR_clear_error(); }

/// Ciphertext from the peer; returns the bytes taken (all of them: memory BIOs grow).
static inline int siprecd_tls_feed(SSL *ssl, const void *data, int length) {
    return BIO_write(SSL_get_rbio(ssl), data, length);
}

/// Ciphertext waiting to be sent to the peer.
static inline int siprecd_tls_pending(SSL *ssl) { return (int)BIO_ctrl_pending(SSL_get_wbio(ssl)); }

static inline int siprecd_tls_drain(SSL *ssl, void *out, int capacity) {
    int n = BIO_read(SSL_get_wbio(ssl), out, capacity);
    return n > 0 ? n : 0;
}

/// 1 when the handshake is done, 0 when it needs more from the peer, -1 when it failed.
static inline int siprecd_tls_handshake(SSL *ssl) {
    ERR_clear_error();   // SSL_get_error and siprecd_tls_failure read this operation's errors only
    int result = SSL_do_handshake(ssl);
    if (result == 1) return 1;
    int code = SSL_get_error(ssl, result);
    return code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

/// Plaintext: > 0 bytes read, 0 when more ciphertext is needed, -1 at the peer's close_notify, -2 on an error.
static inline int siprecd_tls_plain_read(SSL *ssl, void *out, int capacity) {
    ERR_clear_error();
    int n = SSL_read(ssl, out, capacity);
    if (n > 0) return n;
    int code = SSL_get_error(ssl, n);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return 0;
    ERR_clear_error();
    return code == SSL_ERROR_ZERO_RETURN ? -1 : -2;
}

/// Encrypts all of `data` into the outgoing BIO; 1 on success.
static inline int siprecd_tls_plain_write(SSL *ssl, const void *data, int length) {
    ERR_clear_error();
    size_t written = 0;
    int ok = length == 0 || SSL_write_ex(ssl, data, (size_t)length, &written) == 1;
    if (!ok) ERR_clear_error();
    return ok && (int)written == length;
}

/// Queues a close_notify.
static inline void siprecd_tls_shutdown(SSL *ssl) { SSL_shutdown(ssl); ERR_clear_error(); }

/// Why the handshake failed (SIPRECD_TLS_*), with OpenSSL's words in `detail`; clears the error queue.
static inline int siprecd_tls_failure(SSL *ssl, char *detail, int detailLength) {
    long verify = SSL_get_verify_result(ssl);
    unsigned long code = ERR_peek_error();
    int reason = ERR_GET_REASON(code);
    int kind = SIPRECD_TLS_OTHER;
    if (verify != X509_V_OK) {
        snprintf(detail, detailLength, "%s", X509_verify_cert_error_string(verify));
        ERR_clear_error();
        switch (verify) {
        case X509_V_ERR_CERT_HAS_EXPIRED: return SIPRECD_TLS_EXPIRED;
        case X509_V_ERR_CERT_NOT_YET_VALID: return SIPRECD_TLS_NOT_YET_VALID;
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH: return SIPRECD_TLS_NAME_NOT_ALLOWED;
        default: return SIPRECD_TLS_UNTRUSTED;
        }
    }
    if (ERR_GET_LIB(code) == ERR_LIB_SSL) {
        switch (reason) {
        case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE: kind = SIPRECD_TLS_NO_CLIENT_CERTIFICATE; break;
        case SSL_R_UNSUPPORTED_PROTOCOL: case SSL_R_NO_PROTOCOLS_AVAILABLE: case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
        case SSL_R_WRONG_VERSION_NUMBER: case SSL_R_VERSION_TOO_LOW:
            kind = SIPRECD_TLS_PROTOCOL_VERSION; break;
        case SSL_R_TLSV1_ALERT_UNKNOWN_CA: case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE: case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
        case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED: case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
        case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED: case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
            kind = SIPRECD_TLS_CERTIFICATE_REFUSED_BY_PEER; break;
        default: break;
        }
    }
    siprecd_tls_error_text("the handshake failed", detail, detailLength);
    return kind;
}

/// The negotiated protocol version and cipher suite, e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256".
static inline void siprecd_tls_describe(SSL *ssl, char *out, int length) {
    snprintf(out, length, "%s %s", SSL_get_version(ssl), SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
}

/// The subject of the peer's certificate in one line ("CN=sbc1.example.com, O=…"), empty when it sent none.
static inline void siprecd_tls_peer_subject(SSL *ssl, char *out, int length) {
    out[0] = 0;
    X509 *peer = SSL_get0_peer_certificate(ssl);
    if (peer == NULL) return;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return;
    X509_NAME_print_ex(bio, X509_get_subject_name(peer), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    int n = BIO_read(bio, out, length - 1);
    out[n > 0 ? n : 0] = 0;
    BIO_free(bio);
}

/// The first certificate of a PEM file: its validity (Unix seconds), subject, and whether it may
/// authenticate a TLS client (`clientUse` 1: no extendedKeyUsage, or one with clientAuth). 1 on success;
/// 0 when the file has no PEM certificate; -1 when it cannot be opened (errno tells why).
static inline int siprecd_pem_certificate_info(const char *path, long long *notBefore, long long *notAfter,
                                               int *count, int *clientUse, char *subject, int subjectLength) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return -1;
    X509 *first = NULL, *next = NULL;
    *count = 0;
    while ((next = PEM_read_X509(file, NULL, NULL, NULL)) != NULL) {
        if (first == NULL) first = next; else X509_free(next);
        *count += 1;
    }
    fclose(file);
    ERR_clear_error();
    if (first == NULL) return 0;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    *notBefore = ASN1_TIME_to_tm(X509_get0_notBefore(first), &tm) == 1 ? (long long)timegm(&tm) : 0;
    memset(&tm, 0, sizeof tm);
    *notAfter = ASN1_TIME_to_tm(X509_get0_notAfter(first), &tm) == 1 ? (long long)timegm(&tm) : 0;
    subject[0] = 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio != NULL) {
        X509_NAME_print_ex(bio, X509_get_subject_name(first), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
        int n = BIO_read(bio, subject, subjectLength - 1);
        subject[n > 0 ? n : 0] = 0;
        BIO_free(bio);
    }
    *clientUse = (X509_get_extended_key_usage(first) & XKU_SSL_CLIENT) != 0;
    X509_free(first);
    return 1;
}

#endif
