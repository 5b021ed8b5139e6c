// G int8-MAC/s of GemmInt8Packed at BERT shapes (m = 128 tokens), single thread, against the
// register-resident dot peak (wasm_peak.cc) timed in the same rounds. Runs natively and under
// node: `hb_int8_bench [seconds_per_job_per_round] [m]` (m: rows, default 128; 16 shows the
// small-batch regime, where each weight panel is used by only m / 4 register tiles).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "bench_util.h"
#include "kernels/int8_kernels.h"
#include "kernels/kernels.h"

namespace hb_bench {  // wasm_peak.cc
int64_t DotLoop128(int64_t iters, int seed);
#if !defined(__wasm_simd128__) && defined(__x86_64__)
int64_t DotLoop256(int64_t iters, int seed);
#endif
}  // namespace hb_bench

namespace {

using hb_bench::CpuSeconds;

std::vector<float> Random(size_t n, uint32_t seed) { return hb_bench::UniformNoise(n, &seed); }

// A timed body: run(reps) executes `reps` calls and returns a checksum; `work` is the MACs of
// one call.
struct Job {
  std::function<int64_t(int64_t)> run;
  double work;
  int64_t reps = 1;
  std::vector<double> rate;   // G MAC/s per run
  std::vector<double> share;  // per round: rate / mean of the peak runs just before and after
};

// Warms every job up, sizes each to ~`seconds` per round, then runs kRounds rounds that
// interleave all jobs, so load from other processes on this shared machine hits the peak and
// the GEMMs alike. Reports medians (and maxima) of the rates and, for the fraction of peak,
// the median of per-round bracketed ratios (RunInterleaved). The warm-up runs each job for
// kWarmSeconds: V8 starts a function in its baseline compiler (Liftoff) and swaps in TurboFan code
// only after it has run a while, compiled in the background; three calls were not enough, and the
// first shape's rounds then timed partly Liftoff code (-15 to -20 points, gone with
// `node --no-liftoff`).
constexpr int kRounds = 15;
constexpr double kWarmSeconds = 0.25;

void RunInterleaved(std::vector<Job*>& jobs, double seconds, int64_t* sink) {
  for (Job* j : jobs) {
    for (const double t0 = CpuSeconds(); CpuSeconds() - t0 < kWarmSeconds;) *sink += j->run(1);
    for (;;) {
      const double t0 = CpuSeconds();
      *sink += j->run(j->reps);
      const double dt = CpuSeconds() - t0;
      if (dt > seconds * 0.25) {
        j->reps = std::max<int64_t>(1, static_cast<int64_t>(j->reps * seconds / dt));
        break;
      }
      j->reps *= 2;
    }
  }
  const auto time_one = [sink](Job* j) {
    const double t0 = CpuSeconds();
    *sink += j->run(j->reps);
    const double rate = j->work * j->reps / (CpuSeconds() - t0) * 1e-9;
    j->rate.push_back(rate);
    return rate;
  };
  // jobs[0] is the peak: it runs again after every other job, and each job's share of the
  // peak is taken against the mean of the two peak runs around it. The machine's speed
  // changes from second to second (other guests on the host), and a ratio of two medians
  // taken minutes apart mixes those states; the bracketed ratio compares like with like.
  Job* peak = jobs[0];
  for (int r = 0; r < kRounds; ++r) {
    double before = time_one(peak);
    for (size_t i = 1; i < jobs.size(); ++i) {
      const double got = time_one(jobs[i]);
      const double after = time_one(peak);
      jobs[i]->share.push_back(2 * got / (before + after));
      before = after;
    }
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double Max(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.02;
  int64_t sink = argc;
  int salt = 0;
  // The peak that matches the kernel's vector width: 128-bit on wasm/SSE4, 256-bit on
  // AVX2/AVX3 (the native int8 GEMM runs 256-bit vectors there).
  auto peak_loop = hb_bench::DotLoop128;
  double peak_macs_per_iter = 13 * 8;
  const char* peak_name = "i32x4.dot_i16x8_s + add";
#if !defined(__wasm_simd128__) && defined(__x86_64__)
  if (hb::KernelTargetName()[0] == 'A' && __builtin_cpu_supports("avx2")) {
    peak_loop = hb_bench::DotLoop256;
    peak_macs_per_iter = 13 * 16;
    peak_name = "vpmaddwd ymm + vpaddd";
  }
#endif
  Job peak{[&](int64_t n) { return peak_loop(n * 4096, ++salt); }, peak_macs_per_iter * 4096};
  std::printf("target %s; peak loop: %s, 13 chains; %d interleaved rounds of ~%.0f ms per job\n",
              hb::KernelTargetName(), peak_name, kRounds, seconds * 1e3);
  const size_t m = argc > 2 ? static_cast<size_t>(std::max(1, std::atoi(argv[2]))) : 128;
  const size_t shapes[][2] = {{384, 1536}, {1536, 384}, {768, 768}, {768, 3072}};
  double checksum = 0.0;
  for (const auto& s : shapes) {
    const size_t k = s[0], n = s[1];
    const std::vector<float> x = Random(m * k, 1), w = Random(n * k, 2), bias = Random(n, 3);
    std::vector<int8_t> a(m * k);
    std::vector<float> a_s(m), c(m * n);
    std::vector<int32_t> acc(m * n);
    const hb::PackedInt8 pw = hb::QuantizePackWeightsInt8(w.data(), n, k);
    hb::GemmEpilogue ep;
    ep.bias = bias.data();
    const double macs = double(m) * n * k;
    Job quant{[&](int64_t r) {
                for (int64_t i = 0; i < r; ++i) {
                  hb::QuantizeRowsInt8(m, k, x.data(), k, a.data(), k, a_s.data());
                }
                return int64_t{a[5]};
              },
              macs};  // "MAC/s" of the GEMM it feeds: time as a share of the GEMM
    Job gemm{[&](int64_t r) {
               for (int64_t i = 0; i < r; ++i) {
                 hb::GemmInt8Packed(m, a.data(), k, a_s.data(), pw, c.data(), n, ep);
               }
               return static_cast<int64_t>(c[n + 1] * 1000);
             },
             macs};
    Job gemm32{[&](int64_t r) {
                 for (int64_t i = 0; i < r; ++i) {
                   hb::GemmInt8PackedAccumulate(m, a.data(), k, pw, acc.data(), n);
                 }
                 return int64_t{acc[n + 3]};
               },
               macs};
    peak.rate.clear();
    peak.share.clear();
    std::vector<Job*> jobs = {&peak, &quant, &gemm, &gemm32};
    RunInterleaved(jobs, seconds, &sink);
    checksum += c[n + 1] + acc[n + 3];
    std::printf(
        "m=%zu k=%4zu n=%4zu: peak %5.1f | GemmInt8Packed(+bias) %5.1f G MAC/s = %3.0f%% of peak"
        " (max %5.1f) | int32 out %5.1f = %3.0f%% | QuantizeRows %.1f%% of GEMM time\n",
        m, k, n, Median(peak.rate), Median(gemm.rate), 100 * Median(gemm.share), Max(gemm.rate),
        Median(gemm32.rate), 100 * Median(gemm32.share),
        100 * Median(gemm.share) / Median(quant.share));
  }
  std::printf("(checksum %g %lld)\n", checksum, static_cast<long long>(sink));
  return 0;
}
