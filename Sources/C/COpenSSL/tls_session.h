// SIP over TLS: server and client contexts (SSL_CTX) built from siprecd's [tls] files, and sessions over
// memory BIOs that the event loop feeds with ciphertext and drains, so no socket is ever touched here.
// Every SSL_CTX and SSL has exactly one Swift owner that frees it; the allowed peer names live in a
// buffer that owner allocates and frees after the context (SSL_CTX_get_app_data points at it).
#ifndef SIPRECD_COPENSSL_TLS_SESSION_H
#define SIPRECD_COPENSSL_TLS_SESSION_H

#include <arpa/inet.h>
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

/// One-line text of a certificate name ("CN = sbc1.example.com, O = …"), and " / " and a second one when given.
static inline void siprecd_names_text(X509_NAME *first, X509_NAME *second, char *out, int length) {
    out[0] = 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return;
    X509_NAME_print_ex(bio, first, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    if (second != NULL) {
        BIO_puts(bio, " / ");
        X509_NAME_print_ex(bio, second, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    }
    int n = BIO_read(bio, out, length - 1);
    out[n > 0 ? n : 0] = 0;
    BIO_free(bio);
}

/// 1 when `text` is an IPv4 or IPv6 literal.
static inline int siprecd_is_ip_literal(const char *text) {
    unsigned char address[16];
    return inet_pton(AF_INET, text, address) == 1 || inet_pton(AF_INET6, text, address) == 1;
}

/// 1 when `certificate` carries `name`: an IP subjectAltName for an IP literal, else a DNS subjectAltName
/// (or the common name when it has none; a wildcard only as a whole left-most label).
static inline int siprecd_certificate_names(X509 *certificate, const char *name) {
    if (siprecd_is_ip_literal(name)) return X509_check_ip_asc(certificate, name, 0) == 1;
    return X509_check_host(certificate, name, strlen(name), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
}

/// 1 when `certificate` carries one of the NUL-separated, double-NUL-ended `names` (or there are none).
static inline int siprecd_certificate_allowed(X509 *certificate, const char *names) {
    if (names == NULL || names[0] == 0) return 1;
    for (const char *name = names; *name != 0; name += strlen(name) + 1) {
        if (siprecd_certificate_names(certificate, name)) return 1;
    }
    return 0;
}

/// Depth 0 of a chain that verified: the certificate must carry one of the context's allowed names, when
/// there are any.
static inline int siprecd_tls_verify_peer(int ok, X509_STORE_CTX *store) {
    if (!ok || X509_STORE_CTX_get_error_depth(store) != 0) return ok;
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    const char *names = ssl ? (const char *)SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)) : NULL;
    if (siprecd_certificate_allowed(X509_STORE_CTX_get_current_cert(store), names)) return 1;
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
    // No renegotiation, no compression; no resumption: SIP connections live for days, and a resumed session
    // would skip the certificate checks a reload may have tightened.
    SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
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
    ERR_clear_error();
    return context;
}

static inline void siprecd_tls_context_free(SSL_CTX *context) { SSL_CTX_free(context); }

/// A session over two memory BIOs: ciphertext in with `siprecd_tls_feed`, out with `siprecd_tls_drain`.
/// `host`: for a client, the server's name (sent as SNI when it is a DNS name); whether its certificate
/// must carry it is the caller's decision after the handshake (`siprecd_tls_peer_names`).
static inline SSL *siprecd_tls_session_new(SSL_CTX *context, int server, const char *host) {
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
        if (host != NULL && host[0] != 0 && !siprecd_is_ip_literal(host)) SSL_set_tlsext_host_name(ssl, host);
        ERR_clear_error();
        SSL_set_connect_state(ssl);
    }
    return ssl;
}

static inline void siprecd_tls_session_free(SSL *ssl) { SSL_free(ssl); ERR_clear_error(); }

/// Ciphertext from the peer; returns the bytes taken (all of them: memory BIOs grow).
static inline int siprecd_tls_feed(SSL *ssl, const void *data, int length) {
    return BIO_write(SSL_get_rbio(ssl), data, length);
}

/// 1 while ciphertext waits in the incoming buffer or decrypted bytes in the session.
static inline int siprecd_tls_has_input(SSL *ssl) {
    return BIO_ctrl_pending(SSL_get_rbio(ssl)) > 0 || SSL_pending(ssl) > 0;
}

/// Memory BIOs keep their largest size: once empty, one that grew past a few KB is replaced by a new one,
/// so an idle connection holds no read-sized buffers.
static inline void siprecd_tls_trim(SSL *ssl) {
    BUF_MEM *memory = NULL;
    BIO *in = SSL_get_rbio(ssl), *out = SSL_get_wbio(ssl);
    if (BIO_ctrl_pending(in) == 0 && BIO_get_mem_ptr(in, &memory) == 1 && memory != NULL && memory->max > 4096) {
        BIO *fresh = BIO_new(BIO_s_mem());
        if (fresh != NULL) { BIO_set_mem_eof_return(fresh, -1); SSL_set0_rbio(ssl, fresh); }
    }
    memory = NULL;
    if (BIO_ctrl_pending(out) == 0 && BIO_get_mem_ptr(out, &memory) == 1 && memory != NULL && memory->max > 4096) {
        BIO *fresh = BIO_new(BIO_s_mem());
        if (fresh != NULL) { BIO_set_mem_eof_return(fresh, -1); SSL_set0_wbio(ssl, fresh); }
    }
    ERR_clear_error();
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
    if (code == SSL_ERROR_ZERO_RETURN) { ERR_clear_error(); return -1; }
    return -2;   // the error queue stays for siprecd_tls_failure
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

/// 1 when the peer's certificate carries `host` (IP or DNS name; see siprecd_certificate_names).
static inline int siprecd_tls_peer_names(SSL *ssl, const char *host) {
    X509 *peer = SSL_get0_peer_certificate(ssl);
    int named = peer != NULL && siprecd_certificate_names(peer, host);
    ERR_clear_error();
    return named;
}

/// The peer's certificate again, against a reloaded context: its CAs, its names, whether a certificate is
/// required. -1 when it still passes, else why not (SIPRECD_TLS_*), with the words in `detail`.
static inline int siprecd_tls_recheck(SSL *ssl, SSL_CTX *fresh, char *detail, int detailLength) {
    X509 *peer = SSL_get0_peer_certificate(ssl);
    if (peer == NULL) {
        if (SSL_CTX_get_verify_mode(fresh) & SSL_VERIFY_FAIL_IF_NO_PEER_CERT) {
            snprintf(detail, detailLength, "it presented no certificate, and one is now required");
            return SIPRECD_TLS_NO_CLIENT_CERTIFICATE;
        }
        return -1;
    }
    if (!(SSL_CTX_get_verify_mode(fresh) & SSL_VERIFY_PEER)) return -1;
    X509_STORE_CTX *store = X509_STORE_CTX_new();
    if (store == NULL || X509_STORE_CTX_init(store, SSL_CTX_get_cert_store(fresh), peer, SSL_get_peer_cert_chain(ssl)) != 1) {
        X509_STORE_CTX_free(store);
        ERR_clear_error();
        return -1;   // cannot tell (out of memory): the connection stays
    }
    X509_STORE_CTX_set_default(store, SSL_is_server(ssl) ? "ssl_client" : "ssl_server");
    int verified = X509_verify_cert(store) == 1;
    int error = X509_STORE_CTX_get_error(store);
    X509_STORE_CTX_free(store);
    ERR_clear_error();
    if (!verified) {
        snprintf(detail, detailLength, "%s", X509_verify_cert_error_string(error));
        return error == X509_V_ERR_CERT_HAS_EXPIRED ? SIPRECD_TLS_EXPIRED
             : error == X509_V_ERR_CERT_NOT_YET_VALID ? SIPRECD_TLS_NOT_YET_VALID : SIPRECD_TLS_UNTRUSTED;
    }
    if (!siprecd_certificate_allowed(peer, (const char *)SSL_CTX_get_app_data(fresh))) {
        snprintf(detail, detailLength, "its certificate carries none of the allowed peer names");
        return SIPRECD_TLS_NAME_NOT_ALLOWED;
    }
    return -1;
}

/// The peer's certificate as one identity, "subject / issuer" (stable across a renewal by the same CA);
/// empty when it sent none.
static inline void siprecd_tls_peer_identity(SSL *ssl, char *out, int length) {
    out[0] = 0;
    X509 *peer = SSL_get0_peer_certificate(ssl);
    if (peer != NULL) siprecd_names_text(X509_get_subject_name(peer), X509_get_issuer_name(peer), out, length);
}

/// The negotiated protocol version and cipher suite, e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256".
static inline void siprecd_tls_describe(SSL *ssl, char *out, int length) {
    snprintf(out, length, "%s %s", SSL_get_version(ssl), SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
}

/// The subject of the peer's certificate in one line ("CN=sbc1.example.com, O=…"), empty when it sent none.
static inline void siprecd_tls_peer_subject(SSL *ssl, char *out, int length) {
    out[0] = 0;
    X509 *peer = SSL_get0_peer_certificate(ssl);
    if (peer != NULL) siprecd_names_text(X509_get_subject_name(peer), NULL, out, length);
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
    siprecd_names_text(X509_get_subject_name(first), NULL, subject, subjectLength);
    *clientUse = (X509_get_extended_key_usage(first) & XKU_SSL_CLIENT) != 0;
    X509_free(first);
    return 1;
}

#endif
