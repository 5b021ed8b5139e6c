// fp32 GEMMs: one register-tiled micro-kernel (broadcast A scalar x B panel vectors, MulAdd)
// over B packed into k-major panels of kNV vectors. Linear weights are packed once at load;
// attention's K^T and V are packed per call into scratch (O(nk) against O(mnk) work).
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/kernels.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/gemm_f32.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/math-inl.h"

HWY_BEFORE_NAMESPACE();
namespace hb {
namespace HWY_NAMESPACE {

// Tile: kMR rows x kNV vectors of accumulators, plus kNV B vectors and one broadcast live.
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
constexpr size_t kMR = 8, kNV = 3;  // 24 of 32 zmm
#elif HWY_ARCH_X86 && HWY_TARGET == HWY_AVX2
constexpr size_t kMR = 6, kNV = 2;  // 12 of 16 ymm (the classic 6x16 FMA kernel)
#elif defined(HB_GEMM_MR) && defined(HB_GEMM_NV)  // tuning experiments
constexpr size_t kMR = HB_GEMM_MR, kNV = HB_GEMM_NV;
#else
// SSE4/wasm: no FMA, so MulAdd needs a temporary; V8 has ~15 usable xmm. 8 accumulators +
// 2 B + splat + temp stays clear of spills.
constexpr size_t kMR = 4, kNV = 2;
#endif

size_t PanelWidth() { return kNV * hn::Lanes(DF()); }

// Packs B element (j, p) = src[j * sj + p * sp] for j < n, p < k into panels of P columns:
// out[(j / P) * P * k + p * P + j % P], zero-padded to a whole panel.
void PackPanels(const float* HWY_RESTRICT src, size_t sj, size_t sp, size_t n, size_t k, size_t P,
                float* HWY_RESTRICT out) {
  const size_t panels = (n + P - 1) / P;
  for (size_t q = 0; q < panels; ++q) {
    float* HWY_RESTRICT panel = out + q * P * k;
    const size_t j0 = q * P, cols = std::min(P, n - j0);
    if (cols < P) std::fill(panel, panel + P * k, 0.0f);
    if (sj == 1) {  // B[k x n]: rows are contiguous runs
      for (size_t p = 0; p < k; ++p)
        std::memcpy(panel + p * P, src + p * sp + j0, cols * sizeof(float));
    } else {  // W[n x k]: transpose, reading each W row contiguously
      for (size_t jj = 0; jj < cols; ++jj) {
        const float* HWY_RESTRICT row = src + (j0 + jj) * sj;
        for (size_t p = 0; p < k; ++p) panel[p * P + jj] = row[p * sp];
      }
    }
  }
}

// act(alpha * acc + bias) + residual for one vector of row i starting at column j, `count`
// valid lanes (count == N: plain LoadU/StoreU).
template <Activation kAct>
HWY_INLINE void StoreEpilogue(DF d, VF x, size_t i, size_t j, size_t count, float* c, size_t ldc,
                              const GemmEpilogue& ep) {
  const size_t N = hn::Lanes(d);
  if (ep.alpha != 1.0f) x = hn::Mul(x, hn::Set(d, ep.alpha));
  // One copy of the activation for whole and partial vectors (wasm size): only the loads and
  // the store differ.
  const bool whole = count == N;
  if (ep.bias) {
    x = hn::Add(x, whole ? hn::LoadU(d, ep.bias + j) : LoadPartial(d, ep.bias + j, count, 0.0f));
  }
  x = Activate(d, x, kAct);
  if (ep.residual) {
    const float* res = ep.residual + i * ep.ldr + j;
    x = hn::Add(x, whole ? hn::LoadU(d, res) : LoadPartial(d, res, count, 0.0f));
  }
  if (whole) {
    hn::StoreU(x, d, c + i * ldc + j);
  } else {
    StorePartial(d, x, c + i * ldc + j, count);
  }
}

template <Activation kAct>
HWY_INLINE void StoreTileAct(size_t rows, size_t i0, size_t j0, size_t cols, const float* tile,
                             float* c, size_t ldc, const GemmEpilogue& ep) {
  const DF d;
  const size_t N = hn::Lanes(d);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t v = 0; v < kNV; ++v) {
      const size_t jv = v * N;
      if (jv >= cols) break;
      StoreEpilogue<kAct>(d, hn::Load(d, tile + (r * kNV + v) * N), i0 + r, j0 + jv,
                          std::min(N, cols - jv), c, ldc, ep);
    }
  }
}

// The epilogue of a finished tile (rows x kNV vectors, tile[(r * kNV + v) * N + lane]), out
// of line: inlined into every micro-kernel height it was most of this file's wasm code, and
// one call per tile costs nothing next to its k loop. The activation is chosen once per tile.
HWY_NOINLINE void StoreTile(size_t rows, size_t i0, size_t j0, size_t cols, const float* tile,
                            float* c, size_t ldc, const GemmEpilogue& ep) {
  switch (ep.activation) {
    case Activation::kNone:
      return StoreTileAct<Activation::kNone>(rows, i0, j0, cols, tile, c, ldc, ep);
    case Activation::kGeluErf:
      return StoreTileAct<Activation::kGeluErf>(rows, i0, j0, cols, tile, c, ldc, ep);
    case Activation::kGeluTanh:
      return StoreTileAct<Activation::kGeluTanh>(rows, i0, j0, cols, tile, c, ldc, ep);
    case Activation::kRelu:
      return StoreTileAct<Activation::kRelu>(rows, i0, j0, cols, tile, c, ldc, ep);
    case Activation::kTanh:
      return StoreTileAct<Activation::kTanh>(rows, i0, j0, cols, tile, c, ldc, ep);
  }
}

// C[i0 .. i0+MR) x [j0 .. j0+cols) from one panel. Every element is one MulAdd chain over
// p = 0..k-1 in order, whatever MR is, so a row's result does not depend on how m is tiled.
template <size_t MR>
HWY_INLINE void MicroKernel(size_t k, const float* HWY_RESTRICT a, size_t lda,
                            const float* HWY_RESTRICT panel, size_t i0, size_t j0, size_t cols,
                            float* c, size_t ldc, const GemmEpilogue& ep) {
  const DF d;
  const size_t N = hn::Lanes(d);
  const size_t P = kNV * N;
  VF acc[MR][kNV];
  for (size_t r = 0; r < MR; ++r) {
    for (size_t v = 0; v < kNV; ++v) acc[r][v] = hn::Zero(d);
  }
  const float* HWY_RESTRICT ar[MR];
  for (size_t r = 0; r < MR; ++r) ar[r] = a + (i0 + r) * lda;
  for (size_t p = 0; p < k; ++p) {
    const float* HWY_RESTRICT bp = panel + p * P;
    VF b[kNV];
    for (size_t v = 0; v < kNV; ++v) b[v] = hn::LoadU(d, bp + v * N);
    for (size_t r = 0; r < MR; ++r) {
      const VF av = hn::Set(d, ar[r][p]);
      for (size_t v = 0; v < kNV; ++v) acc[r][v] = hn::MulAdd(av, b[v], acc[r][v]);
    }
  }
  HWY_ALIGN float tile[MR * kNV * hn::MaxLanes(DF())];
  for (size_t r = 0; r < MR; ++r) {
    for (size_t v = 0; v < kNV; ++v) hn::Store(acc[r][v], d, tile + (r * kNV + v) * N);
  }
  StoreTile(MR, i0, j0, cols, tile, c, ldc, ep);
}

template <size_t R>
HWY_INLINE void RemainderRows(size_t rows, size_t k, const float* a, size_t lda, const float* panel,
                              size_t i0, size_t j0, size_t cols, float* c, size_t ldc,
                              const GemmEpilogue& ep) {
  if constexpr (R > 0) {
    if (rows == R) return MicroKernel<R>(k, a, lda, panel, i0, j0, cols, c, ldc, ep);
    RemainderRows<R - 1>(rows, k, a, lda, panel, i0, j0, cols, c, ldc, ep);
  }
}

// Panel-outer loop: one panel (P x k floats) stays in L1/L2 while all row blocks stream by.
void GemmPanels(size_t m, size_t n, size_t k, const float* HWY_RESTRICT a, size_t lda,
                const float* HWY_RESTRICT panels, float* c, size_t ldc, const GemmEpilogue& ep) {
  const size_t P = PanelWidth();
  for (size_t j0 = 0; j0 < n; j0 += P) {
    const float* panel = panels + (j0 / P) * P * k;
    const size_t cols = std::min(P, n - j0);
    size_t i = 0;
    for (; i + kMR <= m; i += kMR) MicroKernel<kMR>(k, a, lda, panel, i, j0, cols, c, ldc, ep);
    RemainderRows<kMR - 1>(m - i, k, a, lda, panel, i, j0, cols, c, ldc, ep);
  }
}

std::vector<float>& Scratch(size_t size) {
  static thread_local std::vector<float> scratch;
  if (scratch.size() < size) scratch.resize(size);
  return scratch;
}

size_t PackedSize(size_t n, size_t k, size_t P) { return (n + P - 1) / P * P * k; }

void GemmF32TransBImpl(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                       size_t ldb, float* c, size_t ldc, const GemmEpilogue& ep) {
  if (m == 0 || n == 0) return;
  const size_t P = PanelWidth();
  std::vector<float>& s = Scratch(PackedSize(n, k, P));
  PackPanels(b, ldb, 1, n, k, P, s.data());
  GemmPanels(m, n, k, a, lda, s.data(), c, ldc, ep);
}

void GemmF32Impl(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                 size_t ldb, float* c, size_t ldc, const GemmEpilogue& ep) {
  if (m == 0 || n == 0) return;
  const size_t P = PanelWidth();
  std::vector<float>& s = Scratch(PackedSize(n, k, P));
  PackPanels(b, 1, ldb, n, k, P, s.data());
  GemmPanels(m, n, k, a, lda, s.data(), c, ldc, ep);
}

void PackWeightsF32Impl(const float* w, size_t n, size_t k, PackedF32* out) {
  const size_t P = PanelWidth();
  out->n = n;
  out->k = k;
  out->panel = P;
  out->data.assign(PackedSize(n, k, P), 0.0f);
  PackPanels(w, k, 1, n, k, P, out->data.data());
}

// Columns [c0, c1) of C = A W^T: the unit threads split (each column is computed exactly as in
// the full GEMM, so results do not depend on the split).
void GemmF32PackedColumnsImpl(size_t m, const float* a, size_t lda, const PackedF32& w, size_t c0,
                              size_t c1, float* c, size_t ldc, const GemmEpilogue& ep) {
  c1 = std::min(c1, w.n);
  if (m == 0 || c1 <= c0) return;
  GemmEpilogue e = ep;
  if (e.bias) e.bias += c0;
  if (e.residual) e.residual += c0;
  const size_t P = PanelWidth(), k = w.k, n = c1 - c0;
  if (w.panel == P && c0 % P == 0) {
    return GemmPanels(m, n, k, a, lda, w.data.data() + (c0 / P) * P * k, c + c0, ldc, e);
  }
  // Packed under another target (only when tests switch targets) or an unaligned start:
  // re-panel the requested columns into scratch.
  const size_t Q = w.panel;
  std::vector<float>& s = Scratch(PackedSize(n, k, P));
  std::fill(s.begin(), s.begin() + PackedSize(n, k, P), 0.0f);
  for (size_t j = 0; j < n; ++j) {
    const size_t col = c0 + j;
    const float* src = w.data.data() + (col / Q) * Q * k + col % Q;
    float* dst = s.data() + (j / P) * P * k + j % P;
    for (size_t p = 0; p < k; ++p) dst[p * P] = src[p * Q];
  }
  GemmPanels(m, n, k, a, lda, s.data(), c + c0, ldc, e);
}

const char* TargetNameImpl() { return hwy::TargetName(HWY_TARGET); }

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace hb
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace hb {

HWY_EXPORT(GemmF32TransBImpl);
HWY_EXPORT(GemmF32Impl);
HWY_EXPORT(PackWeightsF32Impl);
HWY_EXPORT(GemmF32PackedColumnsImpl);
HWY_EXPORT(TargetNameImpl);

void GemmF32TransB(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                   size_t ldb, float* c, size_t ldc, const GemmEpilogue& epilogue) {
  HWY_DYNAMIC_DISPATCH(GemmF32TransBImpl)(m, n, k, a, lda, b, ldb, c, ldc, epilogue);
}

void GemmF32(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b, size_t ldb,
             float* c, size_t ldc, const GemmEpilogue& epilogue) {
  HWY_DYNAMIC_DISPATCH(GemmF32Impl)(m, n, k, a, lda, b, ldb, c, ldc, epilogue);
}

PackedF32 PackWeightsF32(const float* w, size_t n, size_t k) {
  PackedF32 packed;
  HWY_DYNAMIC_DISPATCH(PackWeightsF32Impl)(w, n, k, &packed);
  return packed;
}

void GemmF32Packed(size_t m, const float* a, size_t lda, const PackedF32& w, float* c, size_t ldc,
                   const GemmEpilogue& epilogue) {
  HWY_DYNAMIC_DISPATCH(GemmF32PackedColumnsImpl)(m, a, lda, w, 0, w.n, c, ldc, epilogue);
}

void GemmF32PackedColumns(size_t m, const float* a, size_t lda, const PackedF32& w,
                          size_t col_begin, size_t col_end, float* c, size_t ldc,
                          const GemmEpilogue& epilogue) {
  HWY_DYNAMIC_DISPATCH(GemmF32PackedColumnsImpl)
  (m, a, lda, w, col_begin, col_end, c, ldc, epilogue);
}

const char* KernelTargetName() { return HWY_DYNAMIC_DISPATCH(TargetNameImpl)(); }

}  // namespace hb
#endif  // HWY_ONCE
