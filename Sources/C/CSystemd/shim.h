#include <systemd/sd-daemon.h>
#include <sys/timex.h>
