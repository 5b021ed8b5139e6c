// Embind for the relaxed-SIMD kernel: installRelaxedSimd() instantiates the embedded kernel
// module (cmake/relaxed_simd_kernel.cmake) on this module's memory, adds its function to the
// function table and hands it to hb::InstallInt8QuadKernel, whose self-test decides. Returns
// whether int8 models loaded afterwards will use it (LoadOptions::int8_activations ""/"u7").
// false where the runtime lacks relaxed SIMD (it cannot compile the module), computes it wrongly
// (Node 20's --experimental-wasm-relaxed-simd), or this build has no kernel (threads, or no
// clang-19 at build time). Idempotent.
#include <emscripten.h>
#include <emscripten/bind.h>

#include <cstdint>

#include "kernels/int8_kernels.h"

namespace hb::wasm {
namespace {

#if HB_RELAXED_SIMD_KERNEL
const uint8_t kRelaxedKernel[] = {
#include "relaxed_simd_gemm_wasm.inc"
};

// The table index of the kernel's hb_gemm_u7s8, or 0 when the runtime refuses the module.
// Synchronous compile: the module is ~2 KB, far below the main-thread limits of browsers.
EM_JS(int, hb_instantiate_relaxed_kernel, (const uint8_t* bytes, int size), {
  try {
    const module = new WebAssembly.Module(HEAPU8.slice(bytes, bytes + size));
    const instance = new WebAssembly.Instance(module, {env : {memory : wasmMemory}});
    const index = wasmTable.length;
    wasmTable.grow(1);
    wasmTable.set(index, instance.exports.hb_gemm_u7s8);
    return index;
  } catch (e) {
    return 0;
  }
});
#endif

bool InstallRelaxedSimd() {
#if HB_RELAXED_SIMD_KERNEL
  static int state = -1;
  if (state < 0) {
    const int index = hb_instantiate_relaxed_kernel(kRelaxedKernel, sizeof(kRelaxedKernel));
    state = index > 0 && InstallInt8QuadKernel(
                             reinterpret_cast<Int8QuadKernelFn>(static_cast<uintptr_t>(index)));
  }
  return state == 1;
#else
  return false;
#endif
}

EMSCRIPTEN_BINDINGS(hummingbert_relaxed_simd) {
  emscripten::function("installRelaxedSimd", &InstallRelaxedSimd);
}

}  // namespace
}  // namespace hb::wasm
