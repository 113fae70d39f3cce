#include <opus/opus.h>

/* opus_encoder_ctl is variadic, which Swift cannot call: the settings the tests' SRC encoder needs (in-band
   FEC is carried by SILK frames only: a bit rate low enough for SILK). */
static inline int siprecd_opus_encoder_set_fec(OpusEncoder *encoder, int expectedLossPercent, int bitrate) {
    int result = opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate));
    if (result != OPUS_OK) return result;
    result = opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(1));
    if (result != OPUS_OK) return result;
    return opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(expectedLossPercent));
}
