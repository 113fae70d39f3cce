#include <opencore-amrnb/interf_dec.h>
#include <opencore-amrnb/interf_enc.h>
