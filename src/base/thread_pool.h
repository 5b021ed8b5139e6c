// A fixed pool of worker threads created once per model (natively std::thread; in wasm the
// pthreads build's Web Workers). ParallelFor splits independent tasks (GEMM column blocks,
// attention heads) over the workers and the calling thread. Each task writes its own outputs,
// so results are identical for any thread count.
#ifndef HB_BASE_THREAD_POOL_H_
#define HB_BASE_THREAD_POOL_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace hb {

class ThreadPool {
 public:
  // num_threads counts the caller: 1 means no worker threads. Builds without thread support
  // (single-threaded wasm) always use 1. Asking for more threads than the platform can start
  // (e.g. an exhausted wasm worker pool) gives a smaller pool, never an error.
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return num_workers_ + 1; }

  // Runs fn(i) for every i in [0, num_tasks) and returns when all are done. Concurrent callers
  // are serialized (one parallel region at a time). fn must not throw.
  void ParallelFor(size_t num_tasks, const std::function<void(size_t)>& fn);

  // Whether this build can create threads at all.
  static bool ThreadsAvailable();

 private:
  struct Shared;  // threads, mutexes and condition variables (thread_pool.cc)

  void WorkerLoop();
  void RunTasks();

  std::unique_ptr<Shared> shared_;
  int num_workers_ = 0;
  const std::function<void(size_t)>* fn_ = nullptr;
  size_t num_tasks_ = 0;
  std::atomic<size_t> next_task_{0};
  size_t generation_ = 0;
  int busy_workers_ = 0;
  bool stop_ = false;
};

// fn(i) for every i in [0, num_tasks): over `pool` when there is one, else in order on the
// calling thread.
void ParallelFor(ThreadPool* pool, size_t num_tasks, const std::function<void(size_t)>& fn);

}  // namespace hb

#endif  // HB_BASE_THREAD_POOL_H_
