// u7 x int8 -> int32 GEMM on wasm relaxed SIMD (i32x4.relaxed_dot_i8x16_i7x16_add_s, ~1.8x the
// int8 rate of i32x4.dot_i16x8_s in Chromium). Emscripten 3.1.6 (clang 14) cannot emit the
// instruction, so this file is built apart, by clang-19 + lld-19 (cmake/relaxed_simd_kernel.cmake),
// into a tiny module that imports the main module's memory; the core calls it through the
// function table once it has passed InstallInt8QuadKernel's self-test (int8_kernels.h). Highway
// 1.0.3 has no relaxed-SIMD ops, hence plain wasm intrinsics; the scalar twin is
// GemmInt8QuadReference (int8_reference.h).
//
// Must use no linear-memory stack and no data: the module shares the main module's memory and
// owns none of it (the build checks the module has no data segment and never touches
// __stack_pointer).
#include <stddef.h>
#include <stdint.h>
#include <wasm_simd128.h>

// acc[i * ldacc + j] = sum_p a[i * lda + p] * W[j][p] for i < m, j < 8 * panels, p < kp, where
// a holds 0..127 (zero past k up to kp) and W is in the quad layout of int8_kernels.h: per panel
// of 8 columns and per k-quad t, 16 bytes for columns 0-3 (4 k values each), then 16 for 4-7.
// Every argument is a 32-bit wasm value, as size_t and pointers are in wasm32.
__attribute__((export_name("hb_gemm_u7s8"))) void hb_gemm_u7s8(const uint8_t* a, uint32_t lda,
                                                               const int8_t* panels, uint32_t kp,
                                                               int32_t* acc, uint32_t ldacc,
                                                               uint32_t m, uint32_t panel_count) {
  const uint32_t quads = kp / 4;
  for (uint32_t jp = 0; jp < panel_count; ++jp) {
    // Panel-outer: the panel (8 * kp bytes) stays in L1 while the rows of A stream past it.
    const int8_t* panel = panels + (size_t)jp * 8 * kp;
    int32_t* out = acc + (size_t)jp * 8;
    uint32_t i = 0;
    // 4 rows x 8 columns: 8 accumulators + 2 B + 1 A, within V8's ~15 usable registers.
    for (; i + 4 <= m; i += 4) {
      const uint8_t* a0 = a + (size_t)i * lda;
      const uint8_t* a1 = a0 + lda;
      const uint8_t* a2 = a1 + lda;
      const uint8_t* a3 = a2 + lda;
      v128_t c00 = wasm_i32x4_splat(0), c01 = c00, c10 = c00, c11 = c00;
      v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      const int8_t* pb = panel;
      // Not unrolled: an unrolled k loop makes V8 spill accumulators (TOOLCHAIN section 12).
#pragma clang loop unroll(disable)
      for (uint32_t t = 0; t < quads; ++t, pb += 32) {
        const v128_t b0 = wasm_v128_load(pb), b1 = wasm_v128_load(pb + 16);
        v128_t x = wasm_v128_load32_splat(a0 + 4 * t);
        c00 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b0, x, c00);
        c01 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b1, x, c01);
        x = wasm_v128_load32_splat(a1 + 4 * t);
        c10 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b0, x, c10);
        c11 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b1, x, c11);
        x = wasm_v128_load32_splat(a2 + 4 * t);
        c20 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b0, x, c20);
        c21 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b1, x, c21);
        x = wasm_v128_load32_splat(a3 + 4 * t);
        c30 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b0, x, c30);
        c31 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(b1, x, c31);
      }
      int32_t* o = out + (size_t)i * ldacc;
      wasm_v128_store(o, c00);
      wasm_v128_store(o + 4, c01);
      o += ldacc;
      wasm_v128_store(o, c10);
      wasm_v128_store(o + 4, c11);
      o += ldacc;
      wasm_v128_store(o, c20);
      wasm_v128_store(o + 4, c21);
      o += ldacc;
      wasm_v128_store(o, c30);
      wasm_v128_store(o + 4, c31);
    }
    for (; i < m; ++i) {
      const uint8_t* a0 = a + (size_t)i * lda;
      v128_t c0 = wasm_i32x4_splat(0), c1 = c0;
      const int8_t* pb = panel;
#pragma clang loop unroll(disable)
      for (uint32_t t = 0; t < quads; ++t, pb += 32) {
        const v128_t x = wasm_v128_load32_splat(a0 + 4 * t);
        c0 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(wasm_v128_load(pb), x, c0);
        c1 = wasm_i32x4_relaxed_dot_i8x16_i7x16_add(wasm_v128_load(pb + 16), x, c1);
      }
      int32_t* o = out + (size_t)i * ldacc;
      wasm_v128_store(o, c0);
      wasm_v128_store(o + 4, c1);
    }
  }
}
