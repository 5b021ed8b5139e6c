// Embind for heap statistics, so JS (tests, the demo, leak checks) can watch the wasm heap:
// memoryStats() -> {heapSize, allocated, peakFootprint}: the linear memory size in bytes, the
// bytes currently allocated by malloc (mallinfo().uordblks), and the most memory malloc has held
// at once so far (dlmalloc's max footprint, mallinfo().usmblks; 0 where the allocator does not
// track it). Read-only; no state.
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
  o.set("peakFootprint", static_cast<double>(info.usmblks));
  return o;
}

EMSCRIPTEN_BINDINGS(hummingbert_memory) {
  emscripten::function("memoryStats", &MemoryStats);
}

}  // namespace
}  // namespace hb::wasm
