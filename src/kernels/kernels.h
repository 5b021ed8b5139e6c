// The SIMD kernels of hummingbert: the only header callers include. Each entry point is written
// once with Highway (one foreach_target .cc per kernel family), dispatched per target natively
// and compiled for SIMD128 in wasm. kernels/reference.h holds the scalar twin of each, used by
// tests as the specification. Kernels know nothing of BERT.
//
// All matrices are row-major with explicit leading dimensions (elements between rows), so a
// kernel can read one attention head out of a fused QKV buffer without copying.
#ifndef HB_KERNELS_KERNELS_H_
#define HB_KERNELS_KERNELS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hb {

enum class Activation : int {
  kNone = 0,
  kGeluErf = 1,   // 0.5 x (1 + erf(x / sqrt 2)): HF "gelu"
  kGeluTanh = 2,  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))): "gelu_new", "gelu_pytorch_tanh"
  kRelu = 3,
  kTanh = 4,  // BERT pooler
};

// What a GEMM does to each accumulator before storing it:
//   c[i][j] = act(alpha * acc[i][j] + bias[j]) + residual[i][j]
struct GemmEpilogue {
  const float* bias = nullptr;      // [n] or null
  Activation activation = Activation::kNone;
  const float* residual = nullptr;  // [m x n] with leading dimension ldr, or null
  size_t ldr = 0;
  float alpha = 1.0f;
};

// C[m x n] = A[m x k] * B[n x k]^T, then the epilogue. B is a PyTorch Linear weight [out, in]
// or K of attention. C must not alias A or B (it may alias the residual).
void GemmF32TransB(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b,
                   size_t ldb, float* c, size_t ldc, const GemmEpilogue& epilogue);

// C[m x n] = A[m x k] * B[k x n], then the epilogue (attention probabilities times V).
void GemmF32(size_t m, size_t n, size_t k, const float* a, size_t lda, const float* b, size_t ldb,
             float* c, size_t ldc, const GemmEpilogue& epilogue);

// A Linear weight [n x k] rearranged once, at load time, into the panels GemmF32Packed streams.
struct PackedF32 {
  size_t n = 0, k = 0;
  size_t panel = 0;         // columns per panel, chosen by the SIMD target that packed
  std::vector<float> data;  // layout private to gemm_f32.cc
};
PackedF32 PackWeightsF32(const float* w, size_t n, size_t k);
// C[m x n] = A[m x k] * W^T for a packed W, then the epilogue. Same results as GemmF32TransB
// up to float summation order.
void GemmF32Packed(size_t m, const float* a, size_t lda, const PackedF32& w, float* c, size_t ldc,
                   const GemmEpilogue& epilogue);
// Only output columns [col_begin, col_end) of GemmF32Packed (bias/residual indexed by the
// absolute column): how threads split a GEMM. Each column is computed exactly as in the full
// call. Fastest when col_begin is a multiple of w.panel.
void GemmF32PackedColumns(size_t m, const float* a, size_t lda, const PackedF32& w,
                          size_t col_begin, size_t col_end, float* c, size_t ldc,
                          const GemmEpilogue& epilogue);

// y = (x - mean) / sqrt(var + eps) * gamma + beta per row, over `cols` values (biased variance,
// as PyTorch). x may equal y.
void LayerNorm(size_t rows, size_t cols, const float* x, size_t ldx, float* y, size_t ldy,
               const float* gamma, const float* beta, float eps);

// In-place softmax over each row's first `cols` values (numerically stable: max subtracted).
void SoftmaxRows(size_t rows, size_t cols, float* x, size_t ldx);

// In-place activation over n values.
void ApplyActivation(Activation activation, float* x, size_t n);

// x += y over n values.
void AddInPlace(float* x, const float* y, size_t n);
// x *= s over n values.
void ScaleInPlace(float* x, float s, size_t n);
// Sum of squares (for L2 normalization), fixed summation order per target.
float SumOfSquares(const float* x, size_t n);

// Name of the SIMD target the kernels dispatch to now ("AVX3", "AVX2", "WASM", ...), for logs
// and benchmarks.
const char* KernelTargetName();

}  // namespace hb

#endif  // HB_KERNELS_KERNELS_H_
