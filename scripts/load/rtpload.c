/*
 * rtpload: the paced RTP half of siprecd's capacity benchmark (scripts/bench_load.py).
 *
 *   rtpload CALLLOG PAYLOADS SECONDS MAXRUNTIME REPORT [PT TSSTEP]
 *
 * sipp (scripts/load/siprec_load.xml) logs one line "answered CALL PORT1 PORT2" per answered INVITE into
 * CALLLOG; rtpload follows that file and, for each call, sends two RTP streams to 127.0.0.1:PORT1 (caller)
 * and :PORT2 (callee): one payload every 20 ms on an absolute schedule, SECONDS long, payload type PT
 * (default 0, PCMU), the timestamp advancing TSSTEP a packet (default 160: 20 ms of an 8 kHz clock).
 * PAYLOADS holds the 20 ms payloads of some speech in the codec's encoding, one after another, each as a
 * 2-byte little-endian length and its bytes; each stream sends them in order from a start index derived
 * from the call number (wrapping at the end), so every call's audio is known and different. Loopback only; it stops after MAXRUNTIME seconds whatever happens, or once every
 * call it was given has been sent and its BYE logged (or CALLLOG has been quiet for 5 s).
 *
 * REPORT gets one line per stream: call, role, port, ssrc, first sequence number, first timestamp, content
 * offset, packets sent; "#bye CALL WALLMS" when each call's BYE was logged (for BYE -> RECORDINGREADY); and a
 * summary line "#late" with how late sends were against their schedule.
 *
 * Built with -DRTPLOAD_SRTP (and libsrtp), it protects every packet as an SRTP SRC would when
 * RTPLOAD_SRTP_SUITE (AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32, AEAD_AES_128_GCM, AEAD_AES_256_GCM) and
 * RTPLOAD_SRTP_KEY (the master key and salt, hex: the key the scenario's a=crypto offers) are set: one libsrtp
 * session per stream, as each SRC stream has.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef RTPLOAD_SRTP
#include <srtp2/srtp.h>
#endif

#define MAX_STREAMS 16384
#define BATCH 512
#define MAX_PAYLOAD 1500
#define PERIOD_NS 20000000LL

struct stream {
    int call, role, port;
    uint32_t ssrc, ts0;
    uint16_t seq0;
    long offset;
    int64_t next_ns;
    int sent, total;
#ifdef RTPLOAD_SRTP
    srtp_t srtp;
#endif
};

#ifdef RTPLOAD_SRTP
static int srtp_on;
static srtp_policy_t srtp_template;
static unsigned char srtp_key[64];

/* The policy of RTPLOAD_SRTP_SUITE / RTPLOAD_SRTP_KEY; 0 when they are not set. */
static int srtp_setup(void) {
    const char *suite = getenv("RTPLOAD_SRTP_SUITE"), *hex = getenv("RTPLOAD_SRTP_KEY");
    if (!suite || !hex) return 0;
    if (srtp_init() != srtp_err_status_ok) { fprintf(stderr, "rtpload: srtp_init failed\n"); exit(1); }
    memset(&srtp_template, 0, sizeof srtp_template);
    if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_80")) srtp_crypto_policy_set_rtp_default(&srtp_template.rtp);
    else if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_32")) srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&srtp_template.rtp);
    else if (!strcmp(suite, "AEAD_AES_128_GCM")) srtp_crypto_policy_set_aes_gcm_128_16_auth(&srtp_template.rtp);
    else if (!strcmp(suite, "AEAD_AES_256_GCM")) srtp_crypto_policy_set_aes_gcm_256_16_auth(&srtp_template.rtp);
    else { fprintf(stderr, "rtpload: unknown suite %s\n", suite); exit(2); }
    srtp_crypto_policy_set_rtcp_default(&srtp_template.rtcp);
    size_t n = strlen(hex) / 2;
    if (n > sizeof srtp_key) { fprintf(stderr, "rtpload: key too long\n"); exit(2); }
    for (size_t i = 0; i < n; i++) sscanf(hex + 2 * i, "%2hhx", &srtp_key[i]);
    srtp_template.key = srtp_key;
    srtp_template.ssrc.type = ssrc_any_outbound;
    srtp_template.window_size = 1024;
    return 1;
}
#endif

static struct stream streams[MAX_STREAMS];
/* When each "bye" line was read (wall clock, ms): the BYE leaves sipp right after it logs it. */
static struct { int call; long long wall_ms; } byes[MAX_STREAMS];
static int nbyes;
static int nstreams;
static unsigned char *content;
static long content_len;
/* Where each payload of the content starts, and its length. */
static long *payload_at;
static int *payload_len;
static long npayloads;

static long long wall_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static uint32_t mix(uint32_t x) {
    x ^= x >> 16; x *= 0x7feb352dU; x ^= x >> 15; x *= 0x846ca68bU; x ^= x >> 16;
    return x;
}

static void add_call(int call, int port1, int port2, int total, int64_t start) {
    int ports[2] = {port1, port2};
    for (int role = 0; role < 2 && nstreams < MAX_STREAMS; role++) {
        struct stream *s = &streams[nstreams++];
        uint32_t h = mix((uint32_t)call * 2 + (uint32_t)role + 1);
        s->call = call; s->role = role; s->port = ports[role];
        s->ssrc = h | 1; s->seq0 = (uint16_t)(mix(h) & 0x7fff); s->ts0 = mix(h + 7) & 0x3fffffff;
        /* Different audio per stream: a start index into the content's payloads. */
        s->offset = (long)(mix(h + 13) % (uint32_t)npayloads);
        s->next_ns = start + (int64_t)(h % 20) * 1000000LL;   /* spread the streams over the 20 ms */
        s->sent = 0; s->total = total;
#ifdef RTPLOAD_SRTP
        if (srtp_on && srtp_create(&s->srtp, &srtp_template) != srtp_err_status_ok) { fprintf(stderr, "rtpload: srtp_create failed\n"); exit(1); }
#endif
    }
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 8) {
        fprintf(stderr, "usage: rtpload CALLLOG PAYLOADS SECONDS MAXRUNTIME REPORT [PT TSSTEP]\n");
        return 2;
    }
    int payload_type = argc == 8 ? atoi(argv[6]) : 0;
    uint32_t ts_step = argc == 8 ? (uint32_t)atol(argv[7]) : 160;
    const char *log_path = argv[1];
    int seconds = atoi(argv[3]), max_runtime = atoi(argv[4]);
    FILE *cf = fopen(argv[2], "rb");
    if (!cf) { perror(argv[2]); return 1; }
    fseek(cf, 0, SEEK_END); content_len = ftell(cf); fseek(cf, 0, SEEK_SET);
    content = malloc(content_len);
    if (fread(content, 1, content_len, cf) != (size_t)content_len) { perror("read content"); return 1; }
    fclose(cf);
    payload_at = malloc(sizeof(long) * (size_t)(content_len / 3 + 1));
    payload_len = malloc(sizeof(int) * (size_t)(content_len / 3 + 1));
    for (long at = 0; at + 2 <= content_len;) {
        int length = content[at] | content[at + 1] << 8;
        if (length < 1 || length > MAX_PAYLOAD || at + 2 + length > content_len) { fprintf(stderr, "bad payload at %ld\n", at); return 1; }
        payload_at[npayloads] = at + 2; payload_len[npayloads] = length; npayloads++;
        at += 2 + length;
    }
    if (npayloads < 50) { fprintf(stderr, "content too short\n"); return 1; }

#ifdef RTPLOAD_SRTP
    srtp_on = srtp_setup();
#endif
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int sndbuf = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    static unsigned char packets[BATCH][12 + MAX_PAYLOAD + 32];   /* room for an SRTP tag */
    static struct sockaddr_in dests[BATCH];
    static struct iovec iov[BATCH];
    static struct mmsghdr msgs[BATCH];
    static int batch_stream[BATCH];

    FILE *log = NULL;
    char line[512];
    size_t partial = 0;
    int64_t started = now_ns(), last_line = started;
    int64_t late_max = 0, late_sum = 0, late_over_5ms = 0, late_over_20ms = 0, total_packets = 0;
    int calls = 0, active = 0;
    int64_t done_at = 0;

    for (;;) {
        int64_t now = now_ns();
        if (now - started > (int64_t)max_runtime * 1000000000LL) { fprintf(stderr, "rtpload: max runtime reached\n"); break; }
        /* New answered calls. */
        if (!log) log = fopen(log_path, "r");
        if (log) {
            int c;
            while ((c = fgetc(log)) != EOF) {
                if (c != '\n') { if (partial < sizeof line - 1) line[partial++] = (char)c; continue; }
                line[partial] = 0; partial = 0;
                int call, p1, p2;
                if (sscanf(line, "bye %d", &call) == 1 && nbyes < MAX_STREAMS) {
                    byes[nbyes].call = call; byes[nbyes].wall_ms = wall_ms(); nbyes++;
                    last_line = now_ns();
                } else if (sscanf(line, "answered %d %d %d", &call, &p1, &p2) == 3) {
                    add_call(call, p1, p2, seconds * 50, now_ns());
                    calls++; active += 2;
                    last_line = now_ns();
                }
            }
            clearerr(log);
        }
        /* Done once every call's BYE is logged, or 5 s after the last stream ended and the log went quiet. */
        if (calls > 0 && active == 0) {
            if (done_at == 0) done_at = now;
            if (nbyes >= calls || (now - done_at > 5000000000LL && now - last_line > 5000000000LL)) break;
        }
        /* Everything due, in batches. */
        int64_t next_due = now + 1000000LL;
        int n = 0;
        now = now_ns();
        for (int i = 0; i < nstreams; i++) {
            struct stream *s = &streams[i];
            if (s->sent >= s->total) continue;
            if (s->next_ns > now) { if (s->next_ns < next_due) next_due = s->next_ns; continue; }
            int64_t late = now - s->next_ns;
            if (late > late_max) late_max = late;
            late_sum += late;
            if (late > 5000000LL) late_over_5ms++;
            if (late > 20000000LL) late_over_20ms++;
            unsigned char *p = packets[n];
            uint16_t seq = (uint16_t)(s->seq0 + s->sent);
            uint32_t ts = s->ts0 + (uint32_t)s->sent * ts_step;
            p[0] = 0x80; p[1] = (unsigned char)((s->sent == 0 ? 0x80 : 0x00) | payload_type);
            p[2] = seq >> 8; p[3] = seq & 0xff;
            p[4] = ts >> 24; p[5] = ts >> 16; p[6] = ts >> 8; p[7] = ts;
            p[8] = s->ssrc >> 24; p[9] = s->ssrc >> 16; p[10] = s->ssrc >> 8; p[11] = s->ssrc;
            long index = (s->offset + (long)s->sent) % npayloads;
            memcpy(p + 12, content + payload_at[index], (size_t)payload_len[index]);
            memset(&dests[n], 0, sizeof dests[n]);
            dests[n].sin_family = AF_INET;
            dests[n].sin_port = htons((uint16_t)s->port);
            dests[n].sin_addr.s_addr = htonl(INADDR_LOOPBACK);   /* loopback only */
            int length = 12 + payload_len[index];
#ifdef RTPLOAD_SRTP
            if (srtp_on && srtp_protect(s->srtp, p, &length) != srtp_err_status_ok) { fprintf(stderr, "rtpload: srtp_protect failed\n"); return 1; }
#endif
            iov[n].iov_base = p; iov[n].iov_len = (size_t)length;
            memset(&msgs[n], 0, sizeof msgs[n]);
            msgs[n].msg_hdr.msg_name = &dests[n]; msgs[n].msg_hdr.msg_namelen = sizeof dests[n];
            msgs[n].msg_hdr.msg_iov = &iov[n]; msgs[n].msg_hdr.msg_iovlen = 1;
            batch_stream[n] = i;
            s->sent++; s->next_ns += PERIOD_NS;
            if (s->sent >= s->total) active--;
            else if (s->next_ns < next_due) next_due = s->next_ns;
            if (++n == BATCH) {
                int done = 0;
                while (done < n) { int r = sendmmsg(fd, msgs + done, n - done, 0); if (r < 0) { if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN) continue; perror("sendmmsg"); return 1; } done += r; }
                total_packets += n; n = 0;
            }
        }
        if (n > 0) {
            int done = 0;
            while (done < n) { int r = sendmmsg(fd, msgs + done, n - done, 0); if (r < 0) { if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN) continue; perror("sendmmsg"); return 1; } done += r; }
            total_packets += n;
        }
        (void)batch_stream;
        /* Sleep to the next due packet (at most 1 ms, to follow the call log). */
        int64_t wake = next_due;
        if (wake > now_ns()) {
            struct timespec t = {(time_t)(wake / 1000000000LL), (long)(wake % 1000000000LL)};
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
        }
    }

    FILE *out = fopen(argv[5], "w");
    if (!out) { perror(argv[5]); return 1; }
    for (int i = 0; i < nstreams; i++) {
        struct stream *s = &streams[i];
        fprintf(out, "%d\t%s\t%d\t%u\t%u\t%u\t%ld\t%d\n", s->call, s->role ? "callee" : "caller", s->port, s->ssrc,
                s->seq0, s->ts0, s->offset, s->sent);
    }
    for (int i = 0; i < nbyes; i++) fprintf(out, "#bye\t%d\t%lld\n", byes[i].call, byes[i].wall_ms);
    fprintf(out, "#late\tmax_us=%lld\tmean_us=%lld\tover_5ms=%lld\tover_20ms=%lld\tpackets=%lld\tcalls=%d\n",
            (long long)(late_max / 1000), (long long)(total_packets ? late_sum / total_packets / 1000 : 0),
            (long long)late_over_5ms, (long long)late_over_20ms, (long long)total_packets, calls);
    fclose(out);
    return 0;
}
