// Register-resident ceilings for the browser kernel bench (bench/relaxed_kernel_bench.mjs),
// built with clang-19 like the relaxed-SIMD kernel module: 12 independent accumulator chains of
// i32x4.relaxed_dot_i8x16_i7x16_add_s (16 int8-MAC each) and 13 of i32x4.dot_i16x8_s +
// i32x4.add (8 int8-MAC each, as bench/wasm_peak.cc). Each chain feeds its accumulator back in
// as an operand, so no product is loop-invariant (with constant operands LLVM hoists the dot
// out of the loop). Returns a checksum so nothing is dead code.
#include <stdint.h>
#include <wasm_simd128.h>

#define REP12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define REP13(X) REP12(X) X(12)

// iters * 12 * 16 int8-MAC.
__attribute__((export_name("relaxed_peak"), noinline)) int32_t relaxed_peak(uint32_t iters,
                                                                           int32_t seed) {
#define DECL(i) v128_t a##i = wasm_i32x4_splat(seed + i);
  REP12(DECL)
#undef DECL
  const v128_t b = wasm_i8x16_splat((int8_t)(seed & 63));
#pragma clang loop unroll(disable)
  for (uint32_t it = 0; it < iters; ++it) {
#define STEP(i) a##i = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(a##i, b, a##i);
    REP12(STEP)
#undef STEP
  }
  v128_t s = a0;
#define SUM(i) s = wasm_i32x4_add(s, a##i);
  REP12(SUM)
#undef SUM
  return wasm_i32x4_extract_lane(s, 0);
}

// iters * 13 * 8 int8-MAC.
__attribute__((export_name("dot16_peak"), noinline)) int32_t dot16_peak(uint32_t iters,
                                                                       int32_t seed) {
#define DECL(i) v128_t a##i = wasm_i32x4_splat(seed + i);
  REP13(DECL)
#undef DECL
  const v128_t b = wasm_i16x8_splat((int16_t)(seed | 1));
#pragma clang loop unroll(disable)
  for (uint32_t it = 0; it < iters; ++it) {
#define STEP(i) a##i = wasm_i32x4_add(a##i, wasm_i32x4_dot_i16x8(a##i, b));
    REP13(STEP)
#undef STEP
  }
  v128_t s = a0;
#define SUM(i) s = wasm_i32x4_add(s, a##i);
  REP13(SUM)
#undef SUM
  return wasm_i32x4_extract_lane(s, 0);
}
