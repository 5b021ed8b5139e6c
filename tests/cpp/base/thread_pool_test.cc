// ThreadPool: every task runs exactly once, for any thread count, across many regions.
#include "base/thread_pool.h"

#include <atomic>
#include <vector>

#include "gtest/gtest.h"

namespace hb {
namespace {

TEST(ThreadPool, EveryTaskRunsExactlyOnce) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    EXPECT_GE(pool.num_threads(), 1);
    for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{100}, size_t{1000}}) {
      std::vector<std::atomic<int>> hits(n);
      for (auto& h : hits) h = 0;
      pool.ParallelFor(n, [&](size_t i) { hits[i].fetch_add(1); });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "task " << i;
    }
  }
}

TEST(ThreadPool, ManyRegionsInARow) {
  ThreadPool pool(3);
  std::atomic<long> sum{0};
  for (int r = 0; r < 2000; ++r) {
    pool.ParallelFor(5, [&](size_t i) { sum.fetch_add(static_cast<long>(i)); });
  }
  EXPECT_EQ(sum.load(), 2000L * 10);
}

}  // namespace
}  // namespace hb
