/* Resident memory of libmp3lame encoders on their own, with siprecd's settings (8 kHz stereo, 32 kbit/s
 * CBR, quality 5, info tag), fed the way siprecd feeds them (576-frame calls, one shared output buffer).
 * Shows the floor LAME sets for "RSS per call with MP3" (BENCHMARKS.md section 9).
 *   cc -O2 scripts/load/lame_rss.c -o /tmp/lame_rss -lmp3lame && /tmp/lame_rss 200 */
#include <lame/lame.h>
#include <stdio.h>
#include <stdlib.h>

static long resident_kb(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL || fscanf(f, "%ld %ld", &pages, &resident) != 2) { perror("statm"); exit(1); }
    fclose(f);
    return resident * 4;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 200;
    enum { piece = 576, seconds = 30 };
    static short left[piece], right[piece];
    static unsigned char out[piece * 5 / 4 + 7200];
    for (int i = 0; i < piece; i++) { left[i] = (short)(rand() % 8000 - 4000); right[i] = (short)(rand() % 6000 - 3000); }
    lame_t *encoders = calloc((size_t)n, sizeof(lame_t));
    long before = resident_kb();
    for (int i = 0; i < n; i++) {
        lame_t l = lame_init();
        lame_set_in_samplerate(l, 8000); lame_set_out_samplerate(l, 8000); lame_set_num_channels(l, 2);
        lame_set_mode(l, STEREO); lame_set_brate(l, 32); lame_set_quality(l, 5); lame_set_bWriteVbrTag(l, 1);
        if (lame_init_params(l) < 0) { fprintf(stderr, "lame_init_params failed\n"); return 1; }
        encoders[i] = l;
    }
    long initialised = resident_kb();
    for (int step = 0; step < seconds * 8000 / piece; step++)
        for (int i = 0; i < n; i++) lame_encode_buffer(encoders[i], left, right, piece, out, sizeof out);
    long encoding = resident_kb();
    printf("%d encoders: %.1f KB each after lame_init_params, %.1f KB each after %d s of audio\n",
           n, (initialised - before) / (double)n, (encoding - before) / (double)n, seconds);
    return 0;
}
