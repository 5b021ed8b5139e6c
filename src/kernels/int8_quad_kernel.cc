// The run-time-installed quad kernel (int8_kernels.h): a self-test before first use, because
// a runtime can accept the relaxed-SIMD instruction and still compute something else.
#include <atomic>
#include <cstdint>
#include <vector>

#include "kernels/int8_kernels.h"
#include "kernels/int8_reference.h"

namespace hb {
namespace {

std::atomic<Int8QuadKernelFn> g_quad_kernel{nullptr};

// A small LCG (not <random>: this runs in the wasm module, where every KB counts).
class Lcg {
 public:
  explicit Lcg(uint32_t seed) : s_(seed) {}
  int Next(int lo, int hi) {  // uniform enough in [lo, hi]
    s_ = s_ * 1664525u + 1013904223u;
    return lo + static_cast<int>((s_ >> 8) % static_cast<uint32_t>(hi - lo + 1));
  }

 private:
  uint32_t s_;
};

// One shape: random u7 rows (zero past k, as GemmU7Packed's callers guarantee) and int8
// weights packed as quads; the kernel must reproduce RefInt8QuadKernel exactly, and leave the
// guard words around its output untouched.
bool SelfTestShape(Int8QuadKernelFn fn, Lcg* rng, size_t m, size_t n, size_t k, bool extremes) {
  const size_t kp = Int8PaddedK(k), lda = kp + 4;
  std::vector<int8_t> u(m * lda, 0), q(n * k);
  for (size_t i = 0; i < m; ++i) {
    for (size_t p = 0; p < k; ++p) {
      u[i * lda + p] =
          static_cast<int8_t>(extremes ? (rng->Next(0, 1) ? 127 : 0) : rng->Next(0, 127));
    }
  }
  for (int8_t& v : q) {
    v = static_cast<int8_t>(extremes ? (rng->Next(0, 1) ? 127 : -128) : rng->Next(-128, 127));
  }
  std::vector<float> scales(n, 1.0f);
  const PackedInt8 w = PackInt8Weights(q.data(), scales.data(), n, k, Int8Layout::kQuads);
  const size_t panels = (n + kInt8Panel - 1) / kInt8Panel, ldacc = panels * kInt8Panel + 3;
  constexpr int32_t kGuard = 0x5A5A5A5A;
  std::vector<int32_t> got(m * ldacc + 8, kGuard), want(m * ldacc, 0);
  fn(u.data(), lda, w.data.data(), kp, got.data() + 4, ldacc, m, panels);
  RefInt8QuadKernel(u.data(), lda, w.data.data(), kp, want.data(), ldacc, m, panels);
  for (size_t g = 0; g < 4; ++g) {
    if (got[g] != kGuard || got[m * ldacc + 4 + g] != kGuard) return false;
  }
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < panels * kInt8Panel; ++j) {
      if (got[4 + i * ldacc + j] != want[i * ldacc + j]) return false;
    }
  }
  return true;
}

}  // namespace

bool InstallInt8QuadKernel(Int8QuadKernelFn fn) {
  if (fn == nullptr) return false;
  Lcg rng(20261128);
  // Every row-tile remainder (m mod 4), partial panels and quads, and k long enough that
  // 16-bit intermediate sums would overflow if the runtime saturated them.
  const size_t shapes[][3] = {{1, 1, 1},   {2, 9, 5},   {3, 8, 8},   {4, 16, 12},
                              {5, 17, 33}, {7, 24, 64}, {9, 3, 130}, {4, 8, 1024}};
  for (const auto& s : shapes) {
    if (!SelfTestShape(fn, &rng, s[0], s[1], s[2], false)) return false;
    if (!SelfTestShape(fn, &rng, s[0], s[1], s[2], true)) return false;
  }
  g_quad_kernel.store(fn);
  return true;
}

Int8QuadKernelFn InstalledInt8QuadKernel() { return g_quad_kernel.load(); }

}  // namespace hb
