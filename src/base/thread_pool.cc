// ThreadPool: workers sleep on a condition variable between parallel regions; tasks are
// claimed with an atomic counter so uneven task costs balance themselves.
//
// Primitives by build: natively std::thread/std::mutex/std::condition_variable; in the wasm
// pthreads build the pthread calls themselves (the std:: wrappers report failures by throwing
// std::system_error, whose messages bring printf and strerror into the module: ~12 KB); in the
// single-threaded wasm build none at all (ParallelFor runs the tasks inline).
#include "base/thread_pool.h"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define HB_POOL_THREADS 0
#elif defined(__EMSCRIPTEN_PTHREADS__)
#define HB_POOL_THREADS 1
#define HB_POOL_PTHREADS 1
#include <pthread.h>
#else
#define HB_POOL_THREADS 1
#define HB_POOL_PTHREADS 0
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>
#endif

#include <vector>

namespace hb {

bool ThreadPool::ThreadsAvailable() { return HB_POOL_THREADS != 0; }

#if !HB_POOL_THREADS

struct ThreadPool::Shared {};
ThreadPool::ThreadPool(int) {}
ThreadPool::~ThreadPool() = default;
void ThreadPool::WorkerLoop() {}
void ThreadPool::RunTasks() {}
void ThreadPool::ParallelFor(size_t num_tasks, const std::function<void(size_t)>& fn) {
  for (size_t i = 0; i < num_tasks; ++i) fn(i);
}

#else

namespace {

#if HB_POOL_PTHREADS
class Mutex {
 public:
  Mutex() { pthread_mutex_init(&m_, nullptr); }
  ~Mutex() { pthread_mutex_destroy(&m_); }
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }
  pthread_mutex_t* native() { return &m_; }

 private:
  pthread_mutex_t m_;
};

class CondVar {
 public:
  CondVar() { pthread_cond_init(&c_, nullptr); }
  ~CondVar() { pthread_cond_destroy(&c_); }
  // `m` is locked by the caller, as with std::condition_variable.
  template <class Pred>
  void Wait(Mutex& m, Pred done) {
    while (!done()) pthread_cond_wait(&c_, m.native());
  }
  void NotifyOne() { pthread_cond_signal(&c_); }
  void NotifyAll() { pthread_cond_broadcast(&c_); }

 private:
  pthread_cond_t c_;
};

class Thread {
 public:
  // False when the platform cannot start another thread (e.g. the wasm worker pool is empty).
  bool Start(ThreadPool* pool, void (*run)(ThreadPool*)) {
    pool_ = pool;
    run_ = run;
    return pthread_create(&t_, nullptr, &Trampoline, this) == 0;
  }
  void Join() { pthread_join(t_, nullptr); }

 private:
  static void* Trampoline(void* self) {
    auto* t = static_cast<Thread*>(self);
    t->run_(t->pool_);
    return nullptr;
  }
  pthread_t t_{};
  ThreadPool* pool_ = nullptr;
  void (*run_)(ThreadPool*) = nullptr;
};
#else
using Mutex = std::mutex;

class CondVar {
 public:
  // `m` is locked by the caller (adopted for the wait, then released to the caller again).
  template <class Pred>
  void Wait(Mutex& m, Pred done) {
    std::unique_lock<std::mutex> lock(m, std::adopt_lock);
    c_.wait(lock, done);
    lock.release();
  }
  void NotifyOne() { c_.notify_one(); }
  void NotifyAll() { c_.notify_all(); }

 private:
  std::condition_variable c_;
};

class Thread {
 public:
  bool Start(ThreadPool* pool, void (*run)(ThreadPool*)) {
    try {
      t_ = std::thread(run, pool);
      return true;
    } catch (const std::system_error&) {
      return false;
    }
  }
  void Join() { t_.join(); }

 private:
  std::thread t_;
};
#endif

// lock_guard over our Mutex (std::lock_guard would do, this keeps both builds alike).
class Lock {
 public:
  explicit Lock(Mutex& m) : m_(m) { m_.lock(); }
  ~Lock() { m_.unlock(); }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

 private:
  Mutex& m_;
};

}  // namespace

struct ThreadPool::Shared {
  // Threads are started in place (a Thread's address is handed to its thread): no reallocation.
  std::unique_ptr<Thread[]> workers;
  Mutex region_mutex;  // serializes ParallelFor callers
  Mutex mutex;
  CondVar start_cv, done_cv;
};

ThreadPool::ThreadPool(int num_threads) {
  if (num_threads <= 1) return;
  shared_ = std::make_unique<Shared>();
  shared_->workers = std::make_unique<Thread[]>(static_cast<size_t>(num_threads - 1));
  for (int i = 1; i < num_threads; ++i) {
    if (!shared_->workers[num_workers_].Start(this, [](ThreadPool* p) { p->WorkerLoop(); })) {
      break;  // fewer workers than asked
    }
    ++num_workers_;
  }
}

ThreadPool::~ThreadPool() {
  if (!shared_) return;
  {
    Lock lock(shared_->mutex);
    stop_ = true;
  }
  shared_->start_cv.NotifyAll();
  for (int i = 0; i < num_workers_; ++i) shared_->workers[i].Join();
}

void ThreadPool::RunTasks() {
  for (;;) {
    const size_t i = next_task_.fetch_add(1, std::memory_order_relaxed);
    if (i >= num_tasks_) return;
    (*fn_)(i);
  }
}

void ThreadPool::WorkerLoop() {
  size_t seen_generation = 0;
  for (;;) {
    {
      Lock lock(shared_->mutex);
      shared_->start_cv.Wait(shared_->mutex,
                             [&] { return stop_ || generation_ != seen_generation; });
      if (stop_) return;
      seen_generation = generation_;
    }
    RunTasks();
    {
      Lock lock(shared_->mutex);
      if (--busy_workers_ == 0) shared_->done_cv.NotifyOne();
    }
  }
}

void ThreadPool::ParallelFor(size_t num_tasks, const std::function<void(size_t)>& fn) {
  if (num_tasks == 0) return;
  if (num_workers_ == 0 || num_tasks == 1) {
    for (size_t i = 0; i < num_tasks; ++i) fn(i);
    return;
  }
  Lock region(shared_->region_mutex);
  {
    Lock lock(shared_->mutex);
    fn_ = &fn;
    num_tasks_ = num_tasks;
    next_task_.store(0, std::memory_order_relaxed);
    busy_workers_ = num_workers_;
    ++generation_;
  }
  shared_->start_cv.NotifyAll();
  RunTasks();
  Lock lock(shared_->mutex);
  shared_->done_cv.Wait(shared_->mutex, [&] { return busy_workers_ == 0; });
  fn_ = nullptr;
}

#endif  // HB_POOL_THREADS

void ParallelFor(ThreadPool* pool, size_t num_tasks, const std::function<void(size_t)>& fn) {
  if (pool) {
    pool->ParallelFor(num_tasks, fn);
  } else {
    for (size_t t = 0; t < num_tasks; ++t) fn(t);
  }
}

}  // namespace hb
