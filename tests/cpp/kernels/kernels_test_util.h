// Test helpers for the kernel module: run a body on every compiled+supported SIMD target
// (natively) or once (wasm: one static target), and deterministic random data.
#ifndef HB_TESTS_KERNELS_TEST_UTIL_H_
#define HB_TESTS_KERNELS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#if !defined(__EMSCRIPTEN__)
#include "hwy/targets.h"
#endif

namespace hb::test {

// Calls f() once per SIMD target, with the dispatch pinned to that target.
template <class F>
void ForEachTarget(const F& f) {
#if defined(__EMSCRIPTEN__)
  SCOPED_TRACE(KernelTargetName());
  f();
#else
  for (int64_t t : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(t);
    SCOPED_TRACE(hwy::TargetName(t));
    ASSERT_STREQ(KernelTargetName(), hwy::TargetName(t));
    f();
  }
  hwy::SetSupportedTargetsForTest(0);
#endif
}

inline std::string AllTargetNames() {
#if defined(__EMSCRIPTEN__)
  return KernelTargetName();
#else
  std::string s;
  for (int64_t t : hwy::SupportedAndGeneratedTargets()) s += std::string(hwy::TargetName(t)) + " ";
  return s;
#endif
}

// Uniform in [lo, hi) from a fixed 32-bit LCG: the same data on every platform/stdlib.
class Rng {
 public:
  explicit Rng(uint32_t seed) : s_(seed * 2654435761u + 1u) {}
  float Uniform(float lo, float hi) {
    s_ = s_ * 1664525u + 1013904223u;
    return lo + (hi - lo) * static_cast<float>(s_ >> 8) * (1.0f / 16777216.0f);
  }
  std::vector<float> Vec(size_t n, float lo = -1.0f, float hi = 1.0f) {
    std::vector<float> v(n);
    for (float& x : v) x = Uniform(lo, hi);
    return v;
  }

 private:
  uint32_t s_;
};

// A buffer whose data() is misaligned by `offset` floats (4 bytes) from the allocation, so
// kernels never see 16/32/64-byte aligned rows by accident.
class Buffer {
 public:
  Buffer(size_t n, size_t offset = 1) : v_(n + offset, 0.0f), off_(offset), n_(n) {}
  float* data() { return v_.data() + off_; }
  const float* data() const { return v_.data() + off_; }
  size_t size() const { return n_; }
  float& operator[](size_t i) { return data()[i]; }
  void Fill(const std::vector<float>& src) {
    if (n_) std::memcpy(data(), src.data(), n_ * sizeof(float));
  }

 private:
  std::vector<float> v_;
  size_t off_, n_;
};

inline bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0; }

}  // namespace hb::test

#endif  // HB_TESTS_KERNELS_TEST_UTIL_H_
