// Register-resident throughput ceilings the int8 GEMM is judged against: 13 independent
// `i32x4.dot_i16x8_s` + `i32x4.add` chains (the int8 GEMM's inner op pair) and 12 f32x4
// mul + add chains (SIMD128 has no FMA). Under node this is the wasm peak; natively the same
// loops run as VEX pmaddwd/paddd (inline asm) on xmm and, for the 256-bit native GEMM, ymm.
// Usage: wasm_peak [seconds_per_rep]. Built into hb_int8_bench too (HB_PEAK_NO_MAIN).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench_util.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace hb_bench {

// Median of `reps` timed runs of f(iters) after warm-up runs (V8 tiers up), with iters
// calibrated so one run takes about `seconds`. f(iters, salt) returns a checksum that is
// printed; the salt differs per call, because g++ proves the loops pure and would otherwise
// reuse one call's result for all reps. Returns seconds per iteration.
template <class F>
double MedianSecondsPerIter(double seconds, int reps, const F& f, int64_t* sink) {
  int salt = 0;
  // Many short calls first: V8 runs a new function in Liftoff and switches to TurboFan code only
  // on a later call, so a few long calls would time the baseline compiler (~3x slower here).
  for (int i = 0; i < 200; ++i) *sink += f(1000, ++salt);
  int64_t iters = 1 << 14;
  for (;;) {  // calibrate (doubles as warm-up)
    const double t0 = CpuSeconds();
    *sink += f(iters, ++salt);
    const double dt = CpuSeconds() - t0;
    if (dt > seconds * 0.5 || iters > (int64_t{1} << 40)) {
      iters = static_cast<int64_t>(static_cast<double>(iters) * seconds / std::max(dt, 1e-6)) + 1;
      break;
    }
    iters *= 2;
  }
  *sink += f(iters, ++salt);
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    const double t0 = CpuSeconds();
    *sink += f(iters, ++salt);
    t.push_back((CpuSeconds() - t0) / static_cast<double>(iters));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

#define HB_REP13(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)
#define HB_REP12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

#if defined(__wasm_simd128__)
// noinline: V8 has no on-stack replacement for wasm, so a loop inlined into a function that is
// called once would run in Liftoff (baseline) code for the whole measurement.
// acc_i = acc_i + dot(acc_i, b): each chain is dot latency + add latency long, and 13 chains
// in flight exceed what the ports can issue, so this measures throughput (104 MAC/iter).
__attribute__((noinline)) int64_t DotLoop128(int64_t iters, int seed) {
#define DECL(i) v128_t a##i = wasm_i32x4_splat(seed + i);
  HB_REP13(DECL)
#undef DECL
  const v128_t b = wasm_i16x8_splat(static_cast<int16_t>(seed | 1));
  for (int64_t it = 0; it < iters; ++it) {
#define STEP(i) a##i = wasm_i32x4_add(a##i, wasm_i32x4_dot_i16x8(a##i, b));
    HB_REP13(STEP)
#undef STEP
  }
  v128_t s = a0;
#define SUM(i) s = wasm_i32x4_add(s, a##i);
  HB_REP13(SUM)
#undef SUM
  return wasm_i32x4_extract_lane(s, 0);
}
// acc_i = acc_i * m + c (48 flops = 24 f32 MAC per iteration).
__attribute__((noinline)) int64_t FloatLoop128(int64_t iters, int iseed) {
  const float seed = static_cast<float>(iseed & 15);
#define DECL(i) v128_t a##i = wasm_f32x4_splat(seed + i);
  HB_REP12(DECL)
#undef DECL
  const v128_t m = wasm_f32x4_splat(0.999f), c = wasm_f32x4_splat(seed * 1e-3f);
  for (int64_t it = 0; it < iters; ++it) {
#define STEP(i) a##i = wasm_f32x4_add(wasm_f32x4_mul(a##i, m), c);
    HB_REP12(STEP)
#undef STEP
  }
  v128_t s = a0;
#define SUM(i) s = wasm_f32x4_add(s, a##i);
  HB_REP12(SUM)
#undef SUM
  return static_cast<int64_t>(wasm_f32x4_extract_lane(s, 0));
}
#elif defined(__x86_64__)
// Natively the loops are inline asm: g++ 12 spills these intrinsic chains to the stack (the
// store/reload lands in every dependency chain). VEX encoding, like V8 on an AVX machine;
// xmm0..12 accumulate, xmm13 (and xmm14) hold the operands, xmm15 is the product temporary.
// clang-format off
#define HB_R13(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)
#define HB_R12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define HB_CLOBBER "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", \
                   "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc"
int64_t DotLoop128(int64_t iters, int seed) {
  int64_t n = iters;
#define ZERO(i) "vpxor %%xmm" #i ", %%xmm" #i ", %%xmm" #i "\n"
#define STEP(i) "vpmaddwd %%xmm13, %%xmm" #i ", %%xmm15\n vpaddd %%xmm15, %%xmm" #i ", %%xmm" #i "\n"
  asm volatile("vmovd %1, %%xmm13\n vpshufd $0, %%xmm13, %%xmm13\n" HB_R13(ZERO)
               "1:\n" HB_R13(STEP) "dec %0\n jnz 1b\n"
               : "+r"(n) : "r"(seed) : HB_CLOBBER);
#undef STEP
  return n + seed;
}
int64_t DotLoop256(int64_t iters, int seed) {
  int64_t n = iters;
#define STEP(i) "vpmaddwd %%ymm13, %%ymm" #i ", %%ymm15\n vpaddd %%ymm15, %%ymm" #i ", %%ymm" #i "\n"
  asm volatile("vmovd %1, %%xmm13\n vpbroadcastd %%xmm13, %%ymm13\n" HB_R13(ZERO)
               "1:\n" HB_R13(STEP) "dec %0\n jnz 1b\n vzeroupper\n"
               : "+r"(n) : "r"(seed) : HB_CLOBBER);
#undef STEP
#undef ZERO
  return n + seed;
}
int64_t FloatLoop128(int64_t iters, int seed) {
  int64_t n = iters;
  const float m = 0.999f, c = 1e-3f * static_cast<float>(seed & 15);
#define ZERO(i) "vxorps %%xmm" #i ", %%xmm" #i ", %%xmm" #i "\n"
#define STEP(i) "vmulps %%xmm13, %%xmm" #i ", %%xmm15\n vaddps %%xmm14, %%xmm15, %%xmm" #i "\n"
  asm volatile("vbroadcastss %1, %%xmm13\n vbroadcastss %2, %%xmm14\n" HB_R12(ZERO)
               "1:\n" HB_R12(STEP) "dec %0\n jnz 1b\n"
               : "+r"(n) : "m"(m), "m"(c) : HB_CLOBBER);
#undef STEP
#undef ZERO
  return n + seed;
}
// clang-format on
#endif

// G int8-MAC/s of the 128-bit dot + add loop (8 MAC per dot).
double PeakDot128Gmacs(double seconds, int64_t* sink) {
  const int seed = static_cast<int>(*sink & 7) + 1;
  const double s = MedianSecondsPerIter(
      seconds, 7, [&](int64_t n, int salt) { return DotLoop128(n, seed + salt); }, sink);
  return 13 * 8 / s * 1e-9;
}
double PeakF32Gmacs(double seconds, int64_t* sink) {
  const int seed = static_cast<int>(*sink & 7) + 1;
  const double s = MedianSecondsPerIter(
      seconds, 7, [&](int64_t n, int salt) { return FloatLoop128(n, seed + salt); }, sink);
  return 12 * 4 / s * 1e-9;
}
#if !defined(__wasm_simd128__) && defined(__x86_64__)
double PeakDot256Gmacs(double seconds, int64_t* sink) {
  if (!__builtin_cpu_supports("avx2")) return 0.0;
  const int seed = static_cast<int>(*sink & 7) + 1;
  const double s = MedianSecondsPerIter(
      seconds, 7, [&](int64_t n, int salt) { return DotLoop256(n, seed + salt); }, sink);
  return 13 * 16 / s * 1e-9;
}
#endif

}  // namespace hb_bench

#if !defined(HB_PEAK_NO_MAIN)
int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.05;
  int64_t sink = argc;
  const double dot = hb_bench::PeakDot128Gmacs(seconds, &sink);
  const double f32 = hb_bench::PeakF32Gmacs(seconds, &sink);
#if defined(__wasm_simd128__)
  const char* kind = "wasm SIMD128";
#else
  const char* kind = "native 128-bit (VEX-encoded, inline asm)";
#endif
  std::printf("%s, median of 7 runs of ~%.0f ms\n", kind, seconds * 1e3);
  std::printf("  i32x4.dot_i16x8_s + i32x4.add, 13 chains: %6.1f G int8-MAC/s\n", dot);
  std::printf("  f32x4.mul + f32x4.add, 12 chains:        %6.1f G f32-MAC/s (%.1f GFLOP/s)\n", f32,
              2 * f32);
#if !defined(__wasm_simd128__) && defined(__x86_64__)
  std::printf("  AVX2 vpmaddwd + vpaddd ymm, 13 chains:     %6.1f G int8-MAC/s\n",
              hb_bench::PeakDot256Gmacs(seconds, &sink));
#endif
  std::printf("(checksum %lld)\n", static_cast<long long>(sink));
  return 0;
}
#endif
