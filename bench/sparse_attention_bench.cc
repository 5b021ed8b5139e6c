// Scaling of sliding-window + global attention against our dense attention: a whole encoder
// forward (demo-model shape: hidden 256, 4 heads, FFN 768, 4 layers, random weights) at 512 ..
// 8192 tokens, one thread. Reports CPU time and the peak heap bytes allocated during the
// forward (operator new is counted, so natively and in wasm alike).
//   hb_sparse_attention_bench [--window 256] [--max 8192] [--dense-max 4096] [--reps 2]
//   node build-wasm-sparse/bench/hb_sparse_attention_bench.js
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "bench_util.h"
#include "kernels/kernels.h"
#include "model/bert_encoder.h"

// ---------------------------------------------------------------- heap accounting
namespace {
size_t g_current = 0, g_peak = 0;
constexpr size_t kHeader = 16;  // keeps the caller's 16-byte alignment
}  // namespace

void* operator new(size_t n) {
  void* p = std::malloc(n + kHeader);
  if (!p) throw std::bad_alloc();
  *static_cast<size_t*>(p) = n;
  g_current += n;
  g_peak = std::max(g_peak, g_current);
  return static_cast<char*>(p) + kHeader;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  char* base = static_cast<char*>(p) - kHeader;
  g_current -= *reinterpret_cast<size_t*>(base);
  std::free(base);
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, size_t) noexcept { operator delete(p); }
void operator delete[](void* p, size_t) noexcept { operator delete(p); }

namespace {

double Now() { return hb_bench::CpuSeconds(); }

uint32_t g_seed = 12345;
std::vector<float> Random(size_t n, float scale) {
  return hb_bench::UniformNoise(n, &g_seed, scale);
}

hb::LinearWeights RandomLinear(int out, int in) {
  hb::LinearWeights l;
  l.out = out;
  l.in = in;
  l.w = Random(static_cast<size_t>(out) * in, 0.08f);
  l.b = Random(static_cast<size_t>(out), 0.02f);
  return l;
}

hb::LayerNormWeights Norm(int h) {
  return hb::LayerNormWeights{std::vector<float>(h, 1.0f), std::vector<float>(h, 0.0f)};
}

std::unique_ptr<hb::BertEncoder> DemoShapedEncoder(int max_positions) {
  hb::BertWeights w;
  hb::BertConfig& c = w.config;
  c.architecture = "BertModel";
  c.vocab_size = 1000;
  c.hidden_size = 256;
  c.num_layers = 4;
  c.num_heads = 4;
  c.intermediate_size = 768;
  c.max_position_embeddings = max_positions;
  c.type_vocab_size = 2;
  const size_t h = 256;
  w.word_embeddings = Random(c.vocab_size * h, 0.5f);
  w.position_embeddings = Random(static_cast<size_t>(max_positions) * h, 0.5f);
  w.token_type_embeddings = Random(2 * h, 0.5f);
  w.embedding_norm = Norm(256);
  for (int l = 0; l < c.num_layers; ++l) {
    hb::EncoderLayerWeights lw;
    lw.qkv = RandomLinear(768, 256);
    lw.attention_output = RandomLinear(256, 256);
    lw.attention_norm = Norm(256);
    lw.ffn_in = RandomLinear(768, 256);
    lw.ffn_out = RandomLinear(256, 768);
    lw.ffn_norm = Norm(256);
    w.layers.push_back(std::move(lw));
  }
  auto enc = hb::BertEncoder::Create(std::move(w));
  if (!enc.ok()) {
    std::fprintf(stderr, "%s\n", enc.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(enc).value();
}

struct Result {
  double seconds = 0;
  double peak_mb = 0;
  float checksum = 0;
};

// Best of `reps` forwards (after one warm-up: V8 tiers up) and the peak of heap bytes above
// what was live before the first one.
Result Time(const hb::BertEncoder& enc, const hb::PackedBatch& batch, const hb::ForwardOptions& fo,
            int reps) {
  Result r;
  r.seconds = 1e30;
  const size_t base = g_current;
  g_peak = g_current;
  for (int i = 0; i <= reps; ++i) {
    const double t0 = Now();
    auto out = enc.Forward(batch, fo);
    const double dt = Now() - t0;
    if (!out.ok()) {
      std::fprintf(stderr, "%s\n", out.status().ToString().c_str());
      std::exit(1);
    }
    r.checksum = out->hidden[out->hidden.size() / 2];
    if (i > 0 || reps == 0) r.seconds = std::min(r.seconds, dt);
  }
  r.peak_mb = static_cast<double>(g_peak - base) / (1024.0 * 1024.0);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int window = 256, max_n = 8192, dense_max = 4096, reps = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const int v = std::atoi(argv[i + 1]);
    if (a == "--window")
      window = v;
    else if (a == "--max")
      max_n = v;
    else if (a == "--dense-max")
      dense_max = v;
    else if (a == "--reps")
      reps = v;
  }
  std::unique_ptr<hb::BertEncoder> enc = DemoShapedEncoder(max_n);
  hb::ForwardOptions dense_opts, sparse_opts;
  sparse_opts.attention.kind = hb::AttentionKind::kSlidingWindow;
  sparse_opts.attention.window = window;
  std::printf(
      "target %s, hidden 256, 4 heads, FFN 768, 4 layers, window %d + global [CLS], "
      "1 thread, CPU seconds (best of %d)\n",
      hb::KernelTargetName(), window, reps);
  std::printf(
      "| tokens | sparse s | sparse peak MB | dense s | dense peak MB | sparse t/t(512) |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|\n");
  double sparse512 = 0;
  for (int n = 512; n <= max_n; n *= 2) {
    hb::PackedBatch batch;
    hb::Encoding e;
    for (int t = 0; t < n; ++t) e.ids.push_back(1 + (t * 7919) % 999);
    batch.Add(e);
    const Result s = Time(*enc, batch, sparse_opts, n >= 4096 ? 1 : reps);
    if (n == 512) sparse512 = s.seconds;
    std::printf("| %d | %.3f | %.1f |", n, s.seconds, s.peak_mb);
    if (n <= dense_max) {
      const Result d = Time(*enc, batch, dense_opts, n >= 4096 ? 0 : reps);
      std::printf(" %.3f | %.1f |", d.seconds, d.peak_mb);
    } else {
      std::printf(" - | - |");
    }
    std::printf(" %.2f |\n", s.seconds / sparse512);
    std::fflush(stdout);
  }
  return 0;
}
