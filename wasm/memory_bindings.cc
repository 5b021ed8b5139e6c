// Embind for heap statistics, so JS (tests, the demo, leak checks) can watch the wasm heap:
// memoryStats() -> {heapSize, allocated}: the linear memory size in bytes, and the bytes
// currently allocated by malloc (dlmalloc's mallinfo().uordblks). Read-only; no state.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

namespace hb::wasm {
namespace {

using emscripten::val;

val MemoryStats() {
  const struct mallinfo info = mallinfo();
  val o = val::object();
  o.set("heapSize", static_cast<double>(emscripten_get_heap_size()));
  o.set("allocated", static_cast<double>(info.uordblks));
  return o;
}

EMSCRIPTEN_BINDINGS(hummingbert_memory) {
  emscripten::function("memoryStats", &MemoryStats);
}

}  // namespace
}  // namespace hb::wasm
