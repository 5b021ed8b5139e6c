// What every C++ benchmark here shares: a CPU-time clock and reproducible random data.
#ifndef HB_BENCH_BENCH_UTIL_H_
#define HB_BENCH_BENCH_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hb_bench {

// CPU time, not wall time: on a shared machine a descheduled slice must not count. Natively
// the calling thread's CPU clock; under node process.cpuUsage() (user + system, microseconds;
// V8's helper threads are idle once the code has tiered up); in a browser, wall time.
double CpuSeconds();

// n values uniform in [-scale, scale) from a 32-bit LCG whose state is *seed (advanced), the
// same numbers on every platform.
std::vector<float> UniformNoise(size_t n, uint32_t* seed, float scale = 0.5f);

}  // namespace hb_bench

#endif  // HB_BENCH_BENCH_UTIL_H_
