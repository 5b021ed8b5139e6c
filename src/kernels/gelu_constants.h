// The constants of the exact (erf) GELU in math-inl.h, each repeated for the widest vector
// (16 floats) and read with vector loads. Why not immediates: V8 builds every v128.const from two
// 64-bit immediates (3 instructions per use, inside the GEMM epilogue's loop), a load is one
// instruction; and the table is a writable extern array, so LLVM cannot fold the loads back into
// v128.const. Never written after static initialization.
#ifndef HB_KERNELS_GELU_CONSTANTS_H_
#define HB_KERNELS_GELU_CONSTANTS_H_

namespace hb {

enum GeluErfConstant {
  kErfP0,
  kErfP1,
  kErfP2,
  kErfP3,
  kErfP4,
  kErfP5,
  kErfP6,  // erf's P(x^2), highest degree first
  kErfQ0,
  kErfQ1,
  kErfQ2,
  kErfQ3,
  kErfQ4,  // erf's Q(x^2), highest degree first
  kGeluInvSqrt2,
  kGeluFour,
  kGeluMinusFour,
  kGeluOne,
  kGeluTwo,
  kGeluHalf,
  kErfAs1,
  kErfAs2,
  kErfAs3,
  kErfAs4,
  kErfAs5,
  kErfAs6,  // Abramowitz & Stegun 7.1.28 a1..a6 (GeluErfFast)
  kNumGeluErfConstants
};

extern float g_gelu_erf_constants[kNumGeluErfConstants][16];

}  // namespace hb

#endif  // HB_KERNELS_GELU_CONSTANTS_H_
