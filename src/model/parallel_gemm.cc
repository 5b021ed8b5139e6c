// Column-split GEMM: chunks are whole panels so each thread streams its own slice of W.
#include "model/parallel_gemm.h"

#include <algorithm>

namespace hb {

void ParallelGemmF32Packed(ThreadPool* pool, size_t m, const float* a, size_t lda,
                           const PackedF32& w, float* c, size_t ldc, const GemmEpilogue& ep) {
  // Below ~32k multiply-adds the wake-up costs more than it saves.
  constexpr size_t kMinParallelWork = size_t{1} << 15;
  const size_t threads = pool ? static_cast<size_t>(pool->num_threads()) : 1;
  const size_t panel = std::max<size_t>(w.panel, 1);
  const size_t panels = (w.n + panel - 1) / panel;
  if (threads <= 1 || panels < 2 || m * w.n * w.k < kMinParallelWork) {
    GemmF32Packed(m, a, lda, w, c, ldc, ep);
    return;
  }
  const size_t tasks = std::min(threads, panels);
  const size_t per_task = (panels + tasks - 1) / tasks * panel;
  pool->ParallelFor(tasks, [&](size_t t) {
    GemmF32PackedColumns(m, a, lda, w, t * per_task, std::min(w.n, (t + 1) * per_task), c, ldc,
                         ep);
  });
}

}  // namespace hb
