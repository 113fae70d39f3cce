#include <alsa/asoundlib.h>

/* ALSA reports configuration problems on stderr through a variadic handler, which Swift cannot define.
   siprecd_alsa_quiet() installs one that drops them: callers report snd_strerror() text themselves. */
static void siprecd_alsa_silent(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void siprecd_alsa_quiet(void) { snd_lib_error_set_handler(siprecd_alsa_silent); }
