// Splits a packed GEMM's output columns over a thread pool (the design's tensor parallelism on
// one device). Each column is computed as in the one-thread call, so results are identical.
#ifndef HB_MODEL_PARALLEL_GEMM_H_
#define HB_MODEL_PARALLEL_GEMM_H_

#include "base/thread_pool.h"
#include "kernels/kernels.h"

namespace hb {

// pool may be null (one thread).
void ParallelGemmF32Packed(ThreadPool* pool, size_t m, const float* a, size_t lda,
                           const PackedF32& w, float* c, size_t ldc, const GemmEpilogue& ep);

}  // namespace hb

#endif  // HB_MODEL_PARALLEL_GEMM_H_
