// G int8-MAC/s of GemmInt8Packed at BERT shapes (m = 128 tokens), single thread, against the
// register-resident dot peak measured in the same process (wasm_peak.cc). Runs natively and
// under node: `hb_int8_bench [seconds_per_rep]`. Median of 7 timed reps after warm-up.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "kernels/int8_kernels.h"
#include "kernels/kernels.h"

namespace hb_bench {
double NowSeconds();
double PeakDot128Gmacs(double seconds, int64_t* sink);
#if !defined(__wasm_simd128__) && defined(__x86_64__)
double PeakDot256Gmacs(double seconds, int64_t* sink);
#endif
}  // namespace hb_bench

namespace {

std::vector<float> Random(size_t n, unsigned seed) {
  std::vector<float> v(n);
  for (float& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed >> 8) * (1.0f / 16777216.0f) - 0.5f;
  }
  return v;
}

// Median seconds of f() over 7 reps of `inner` calls each, after warm-up calls (V8 tiers up;
// caches fill) totalling ~seconds.
template <class F>
double MedianSeconds(double seconds, const F& f) {
  using hb_bench::NowSeconds;
  const double t0 = NowSeconds();
  int calls = 0;
  do {
    f();
    ++calls;
  } while (NowSeconds() - t0 < seconds || calls < 3);
  const int inner = calls;
  std::vector<double> t;
  for (int r = 0; r < 7; ++r) {
    const double s = NowSeconds();
    for (int i = 0; i < inner; ++i) f();
    t.push_back((NowSeconds() - s) / inner);
  }
  std::sort(t.begin(), t.end());
  return t[3];
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.05;
  int64_t sink = argc;
  const double peak128 = hb_bench::PeakDot128Gmacs(seconds, &sink);
  double peak = peak128;
  const char* peak_name = "dot_i16x8_s/pmaddwd xmm";
#if !defined(__wasm_simd128__) && defined(__x86_64__)
  const double peak256 = hb_bench::PeakDot256Gmacs(seconds, &sink);
  std::printf("peak: 128-bit %.1f, 256-bit %.1f G int8-MAC/s\n", peak128, peak256);
  const char* target = hb::KernelTargetName();
  if (peak256 > 0 && (target[0] == 'A')) {  // AVX2/AVX3 run the 256-bit kernel
    peak = peak256;
    peak_name = "vpmaddwd ymm";
  }
#endif
  std::printf("target %s; peak (%s, 13 chains) %.1f G int8-MAC/s; median of 7 reps\n",
              hb::KernelTargetName(), peak_name, peak);
  const size_t m = 128;
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
    const double tq = MedianSeconds(seconds, [&] {
      hb::QuantizeRowsInt8(m, k, x.data(), k, a.data(), k, a_s.data());
    });
    const double tg = MedianSeconds(seconds, [&] {
      hb::GemmInt8Packed(m, a.data(), k, a_s.data(), pw, c.data(), n, ep);
    });
    const double ta = MedianSeconds(seconds, [&] {
      hb::GemmInt8PackedAccumulate(m, a.data(), k, pw, acc.data(), n);
    });
    checksum += c[n + 1] + acc[n + 3];
    const double macs = double(m) * n * k;
    std::printf("m=%zu k=%4zu n=%4zu: GemmInt8Packed(+bias) %5.1f G MAC/s = %3.0f%% of peak"
                " | int32 out %5.1f (%3.0f%%) | QuantizeRows %.1f us (%.1f%% of GEMM)\n",
                m, k, n, macs / tg * 1e-9, 100 * macs / tg * 1e-9 / peak, macs / ta * 1e-9,
                100 * macs / ta * 1e-9 / peak, tq * 1e6, 100 * tq / tg);
  }
  std::printf("(checksum %g %lld)\n", checksum, static_cast<long long>(sink));
  return 0;
}
