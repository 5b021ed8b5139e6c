// IEEE binary16 <-> binary32 conversions, bit-exact and platform-independent: the model file
// writer stores F16 tensors with them and the readers widen F16 back.
#ifndef HB_BASE_HALF_FLOAT_H_
#define HB_BASE_HALF_FLOAT_H_

#include <cstdint>

namespace hb {

// Rounds to nearest, ties to even, overflowing to infinity (NaN stays NaN).
uint16_t FloatToHalfBits(float f);
// Exact: every half (subnormals, infinities, NaN payloads) has a float.
float HalfBitsToFloat(uint16_t h);
// The float nearest to `f` that a half represents (what an F16 tensor stores).
inline float RoundToHalf(float f) { return HalfBitsToFloat(FloatToHalfBits(f)); }

}  // namespace hb

#endif  // HB_BASE_HALF_FLOAT_H_
