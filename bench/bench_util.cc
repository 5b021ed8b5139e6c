#include "bench_util.h"

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
#else
#include <time.h>
#endif

namespace hb_bench {

#if defined(__EMSCRIPTEN__)
// clang-format off
EM_JS(double, HbCpuSeconds, (), {
  if (typeof process !== 'undefined' && process.cpuUsage) {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1e-6;
  }
  return performance.now() * 1e-3;
});
// clang-format on
double CpuSeconds() { return HbCpuSeconds(); }
#else
double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
#endif

std::vector<float> UniformNoise(size_t n, uint32_t* seed, float scale) {
  std::vector<float> v(n);
  for (float& x : v) {
    *seed = *seed * 1664525u + 1013904223u;
    x = (static_cast<float>(*seed >> 8) * (1.0f / 16777216.0f) - 0.5f) * 2.0f * scale;
  }
  return v;
}

}  // namespace hb_bench
