// GFLOP/s of the fp32 GEMMs at BERT shapes (m = 128 tokens), single thread. A plain main so
// it runs natively and under node: `hb_kernels_bench [seconds_per_shape]`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "bench_util.h"
#include "kernels/kernels.h"

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<float> Random(size_t n, uint32_t seed) { return hb_bench::UniformNoise(n, &seed); }

// Runs f until `budget` seconds pass (after 2 warm-up calls: V8 tiers up) and returns the best
// GFLOP/s of the timed calls.
template <class F>
double Measure(double flops, double budget, const F& f) {
  f();
  f();
  double best = 0.0;
  const double end = Now() + budget;
  do {
    const double t0 = Now();
    f();
    const double dt = Now() - t0;
    if (dt > 0 && flops / dt > best) best = flops / dt;
  } while (Now() < end);
  return best * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 0.3;
  std::printf("target %s, %.2f s per shape, best of runs\n", hb::KernelTargetName(), budget);
  const size_t m = 128;
  double checksum = 0.0;
  for (size_t k : {384, 768}) {
    for (size_t n : {384, 768, 1536, 3072}) {
      const std::vector<float> a = Random(m * k, 1), w = Random(n * k, 2), bias = Random(n, 3);
      std::vector<float> c(m * n);
      const hb::PackedF32 pw = hb::PackWeightsF32(w.data(), n, k);
      hb::GemmEpilogue ep;
      ep.bias = bias.data();
      const double g = Measure(2.0 * m * n * k, budget,
                               [&] { hb::GemmF32Packed(m, a.data(), k, pw, c.data(), n, ep); });
      checksum += c[n + 1];
      std::printf("GemmF32Packed m=%zu k=%4zu n=%4zu: %6.1f GFLOP/s\n", m, k, n, g);
    }
  }
  // Attention per head (BERT-base: head dim 64, fused QKV rows of 2304 floats).
  {
    const size_t s = 128, dh = 64, ld = 2304;
    const std::vector<float> qkv = Random(s * ld, 4);
    std::vector<float> scores(s * s), ctx(s * dh);
    hb::GemmEpilogue ep;
    ep.alpha = 0.125f;
    const double g1 = Measure(2.0 * s * s * dh, budget, [&] {
      hb::GemmF32TransB(s, s, dh, qkv.data(), ld, qkv.data() + 768, ld, scores.data(), s, ep);
    });
    const double g2 = Measure(2.0 * s * s * dh, budget, [&] {
      hb::GemmF32(s, dh, s, scores.data(), s, qkv.data() + 1536, ld, ctx.data(), dh,
                  hb::GemmEpilogue());
    });
    checksum += scores[7] + ctx[7];
    std::printf("GemmF32TransB (QK^T, 128x128x64, strided K): %6.1f GFLOP/s\n", g1);
    std::printf("GemmF32       (PV,   128x64x128, strided V): %6.1f GFLOP/s\n", g2);
  }
  std::printf("checksum %g\n", checksum);
  return 0;
}
