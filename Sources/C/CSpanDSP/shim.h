#include <stdint.h>
#include <inttypes.h>
#include <stdbool.h>
#include <spandsp/telephony.h>
#include <spandsp/bitstream.h>
#include <spandsp/g726.h>
#include <spandsp/g722.h>
