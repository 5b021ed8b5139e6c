# The WebAssembly module: hummingbert_core + the Embind layer in wasm/, linked twice with the
# same flags (ESM glue for `import`, CommonJS glue for `require`). Included from the top-level
# CMakeLists.txt under emcmake. Run as a script (`cmake -P`), this file copies the artifacts into
# dist/ and prints their raw and gzip sizes (the post-build step below does that).
#
# Outputs, in ${HB_WASM_DIST_DIR} (default: <repo>/dist):
#   hummingbert-simd.wasm   the module (one copy: both links produce byte-identical files)
#   hummingbert-simd.mjs    ES module glue: `import createHummingbertModule from ...`
#   hummingbert-simd.cjs    CommonJS/UMD glue: `require(...)` or a classic <script>
#                           (.js in the threaded build: its pool workers importScripts() it, and
#                           servers send .js, not always .cjs, as JavaScript)
#   package.json            {"type": "commonjs"}, so emcc's CJS *.worker.js (threaded build) is
#                           not read as ESM inside our "type": "module" package
# With HB_WASM_THREADS=ON (its own build dir) the base name is hummingbert-simd-threaded.
#
# The single-threaded build also makes hummingbert-convert.{wasm,mjs,cjs}: the converter
# (Hugging Face folder -> model file: wasm/convert_bindings.cc, the model file writer and the
# quantizer), loaded only by convert() and `npx hummingbert convert`. Keeping it out of the
# inference module saves ~40 KB that every page would download and compile for nothing.

# ---------------------------------------------------------------- script mode: copy + sizes
if(CMAKE_SCRIPT_MODE_FILE)
  # Inputs: -DESM_DIR= -DCJS_DIR= -DNAME= -DCJS_SUFFIX= -DDIST_DIR= -DTMP_DIR=
  file(MAKE_DIRECTORY ${DIST_DIR} ${TMP_DIR})
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
                          ${ESM_DIR}/${NAME}.wasm ${CJS_DIR}/${NAME}.wasm
                  RESULT_VARIABLE _differ)
  if(_differ)
    message(FATAL_ERROR "${NAME}.wasm differs between the ESM and CJS links; "
                        "their link flags must be the same apart from the glue options")
  endif()
  file(COPY_FILE ${ESM_DIR}/${NAME}.wasm ${DIST_DIR}/${NAME}.wasm ONLY_IF_DIFFERENT)
  file(COPY_FILE ${ESM_DIR}/${NAME}.mjs ${DIST_DIR}/${NAME}.mjs ONLY_IF_DIFFERENT)
  file(COPY_FILE ${CJS_DIR}/${NAME}${CJS_SUFFIX} ${DIST_DIR}/${NAME}${CJS_SUFFIX} ONLY_IF_DIFFERENT)
  if(EXISTS ${CJS_DIR}/${NAME}.worker.js)
    file(COPY_FILE ${CJS_DIR}/${NAME}.worker.js ${DIST_DIR}/${NAME}.worker.js ONLY_IF_DIFFERENT)
  endif()
  file(WRITE ${TMP_DIR}/package.json "{\"type\": \"commonjs\"}\n")
  file(COPY_FILE ${TMP_DIR}/package.json ${DIST_DIR}/package.json ONLY_IF_DIFFERENT)
  message("hummingbert wasm artifacts in ${DIST_DIR}:")
  foreach(_f ${NAME}.wasm ${NAME}.mjs ${NAME}${CJS_SUFFIX})
    file(SIZE ${DIST_DIR}/${_f} _raw)
    file(ARCHIVE_CREATE OUTPUT ${TMP_DIR}/${_f}.gz PATHS ${DIST_DIR}/${_f} FORMAT raw
         COMPRESSION GZip COMPRESSION_LEVEL 9)
    file(SIZE ${TMP_DIR}/${_f}.gz _gz)
    math(EXPR _raw_kb "${_raw} / 1024")
    math(EXPR _gz_kb "${_gz} / 1024")
    message("  ${_f}: ${_raw} bytes (${_raw_kb} KiB), gzip -9 ${_gz} bytes (${_gz_kb} KiB)")
  endforeach()
  return()
endif()

# ---------------------------------------------------------------- targets
set(HB_WASM_DIST_DIR ${CMAKE_SOURCE_DIR}/dist CACHE PATH "Where the wasm artifacts are copied")
if(HB_WASM_THREADS)
  set(HB_WASM_NAME hummingbert-simd-threaded)
else()
  set(HB_WASM_NAME hummingbert-simd)
endif()
set(HB_CONVERT_WASM_NAME hummingbert-convert)
# Bindings by module: the converter's own file, the ones both modules use, and the inference
# module's (everything else in wasm/).
set(HB_CONVERT_WASM_SOURCES ${CMAKE_SOURCE_DIR}/wasm/convert_bindings.cc)
set(HB_SHARED_WASM_SOURCES ${CMAKE_SOURCE_DIR}/wasm/result_conversion.cc)
file(GLOB HB_WASM_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/wasm/*.cc)
list(REMOVE_ITEM HB_WASM_SOURCES ${HB_CONVERT_WASM_SOURCES} ${HB_SHARED_WASM_SOURCES})

# Link flags shared by both glue flavours (the .wasm must come out byte-identical). The compile
# side (-msimd128, -fwasm-exceptions or -fexceptions per HB_WASM_EXCEPTIONS, and -pthread for
# HB_WASM_THREADS) is set for every target in the top-level CMakeLists.txt.
set(HB_WASM_LINK_FLAGS
  # Release optimisation happens at link time in emcc (binaryen + JS minification); CMake's
  # Release flags already pass -O3, this keeps it explicit for RelWithDebInfo/MinSizeRel too.
  $<$<NOT:$<CONFIG:Debug>>:-O3>
  # WASM SIMD128 (Highway's N_WASM target); without it Highway silently falls back to EMU128.
  -msimd128
  # Embind runtime: class_/value_object/val.
  -lembind
  # A factory function instead of a global Module, so the package controls instantiation
  # (wasmBinary in Node, locateFile in browsers) and can create it lazily, once.
  -sMODULARIZE=1
  -sEXPORT_NAME=createHummingbertModule
  # One artifact for browsers, Web Workers and Node (no Deno/shell paths).
  -sENVIRONMENT=web,worker,node
  # Model weights are copied into the heap, so memory must grow past the 16 MiB default.
  -sALLOW_MEMORY_GROWTH=1
  # The core reads no files in wasm (Model::FromHuggingFaceFiles takes bytes); no FS code.
  -sFILESYSTEM=0
  # Library module: there is no main() to run.
  -sINVOKE_RUN=0
  # A library must not install process-wide 'uncaughtException'/'unhandledRejection' handlers
  # in Node (3.1.6's rethrow dumps the whole minified glue line for any error of the host app).
  -sNODEJS_CATCH_EXIT=0
  -sNODEJS_CATCH_REJECTION=0
  # Runtime checks in Debug only; they cost size and speed.
  $<IF:$<CONFIG:Debug>,-sASSERTIONS=1,-sASSERTIONS=0>
  # Exceptions (top-level CMakeLists.txt: native wasm EH by default, 669 -> 523 KB at the time,
  # inference speed unchanged) are kept because the core catches std::bad_alloc internally and
  # turns it into Status. No exception crosses into JS: every binding returns {ok, value} /
  # {ok: false, code, message}, and Guard() catches anything else. Measured and rejected for
  # size: -Oz/-Os at the link step saves only 16/11 KB more; -sEVAL_CTORS nothing.
  # Emscripten 3.1.6 glue fetch()es the .wasm *path* under Node 18+; this pre-js makes the glue
  # use its Node fs path instead (TOOLCHAIN.md section 5).
  "SHELL:--pre-js ${CMAKE_SOURCE_DIR}/js/pre_node_fetch.js")
if(HB_WASM_THREADS)
  # Threaded build: a pool of workers created with the module, sized by the JS front end
  # (js/src/runtime.js passes hbPoolSize: hardware threads - 1, at most 7), so a model's threads
  # start at once and never wait on a main thread that is blocked in a join. STRICT=2: if the
  # pool is ever exhausted, pthread_create fails (EAGAIN) instead of risking a deadlock.
  list(APPEND HB_WASM_LINK_FLAGS -pthread -sPTHREAD_POOL_SIZE=Module.hbPoolSize
       -sPTHREAD_POOL_SIZE_STRICT=2)
  # emmalloc instead of dlmalloc: 8 KB smaller, which keeps this build under 400 KB. Not in the
  # single-threaded build, where it measured 1-2% slower on classify (SST-2 dev, batch 200).
  list(APPEND HB_WASM_LINK_FLAGS -sMALLOC=emmalloc)
endif()

# The bindings are compiled once and linked into both glue flavours.
add_library(hummingbert_wasm_shared_bindings OBJECT ${HB_SHARED_WASM_SOURCES})
add_library(hummingbert_wasm_bindings OBJECT ${HB_WASM_SOURCES})
add_library(hummingbert_convert_bindings OBJECT ${HB_CONVERT_WASM_SOURCES})
foreach(_t hummingbert_wasm_shared_bindings hummingbert_wasm_bindings hummingbert_convert_bindings)
  target_link_libraries(${_t} PUBLIC hummingbert_core)
  target_compile_options(${_t} PRIVATE ${HB_WARNINGS})
endforeach()
include(${CMAKE_SOURCE_DIR}/cmake/relaxed_simd_kernel.cmake)
if(HB_RELAXED_SIMD_KERNEL)
  target_compile_definitions(hummingbert_wasm_bindings PRIVATE HB_RELAXED_SIMD_KERNEL=1)
  target_include_directories(hummingbert_wasm_bindings PRIVATE ${CMAKE_BINARY_DIR}/relaxed_simd)
  set_source_files_properties(${CMAKE_SOURCE_DIR}/wasm/relaxed_simd_bindings.cc PROPERTIES
                              OBJECT_DEPENDS ${HB_RELAXED_SIMD_INC})
  # The relaxed-SIMD kernel is added to the function table at run time.
  list(APPEND HB_WASM_LINK_FLAGS -sALLOW_TABLE_GROWTH=1)
endif()

# Size. At -O3 everywhere the .wasm was ~740 KB, most of it cold code that -O3 inlines and
# unrolls: JSON and safetensors parsing, the model file reader/writer, the converter, string
# handling. Those compile at -Oz here (wasm builds only; the later flag wins over
# CMAKE_CXX_FLAGS_RELEASE's -O3): 740 -> 620 KB raw, 223 -> 196 KB gzip. The hot path keeps
# -O3: all of hb_kernels (GEMMs, softmax, layer norm, activations), the encoder forward pass in
# src/model/, and the tokenizer (2x slower at -Oz) apart from its settings parser. Measured and
# rejected: -Oz for the link step (binaryen) saves another 7% but makes inference 13% and
# tokenization 5x slower. Later (issue 7, 484 -> 434 KB): checkpoint_loader.cc,
# tokenizer_settings.cc and hb_compress joined the -Oz set, the GEMM epilogues moved out of line
# (int8_gemm.cc, gemm_f32.cc: -25 KB) and JSON numbers use the JS engine
# (wasm/js_decimal_text.cc replaces src/base/decimal_text.cc: no musl strtod / long-double code,
# -14 KB). Measure with `npm run build:wasm` (prints raw and gzip
# sizes); per function: link once more with --profiling-funcs and `wasm-objdump -x -j Code`.
if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(HB_WASM_COLD_OPT -Oz CACHE STRING "Optimisation flag for the wasm build's cold (non-kernel) code")
  foreach(_t hb_base hb_format hb_compress hummingbert_core hummingbert_wasm_shared_bindings
             hummingbert_wasm_bindings hummingbert_convert_bindings)
    target_compile_options(${_t} PRIVATE ${HB_WASM_COLD_OPT})
  endforeach()
  file(GLOB _hb_cold_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/quant/*.cc
       ${CMAKE_SOURCE_DIR}/src/calibrate/*.cc ${CMAKE_SOURCE_DIR}/src/model/extend_positions.cc
       ${CMAKE_SOURCE_DIR}/src/model/checkpoint_loader.cc
       ${CMAKE_SOURCE_DIR}/src/tokenizer/tokenizer_settings.cc)
  set_source_files_properties(${_hb_cold_sources} PROPERTIES COMPILE_OPTIONS ${HB_WASM_COLD_OPT})
endif()

# hb_wasm_glue(target name suffix dir bindings [extra link options...]): one link of module
# `name` (its bindings object library + the shared bindings + the core) with one glue flavour.
function(hb_wasm_glue target name suffix dir bindings)
  add_executable(${target} $<TARGET_OBJECTS:${bindings}>
                 $<TARGET_OBJECTS:hummingbert_wasm_shared_bindings>)
  target_link_libraries(${target} PRIVATE hummingbert_core)
  target_link_options(${target} PRIVATE ${HB_WASM_LINK_FLAGS} ${ARGN})
  # Separate output dirs: the two links must never write the same .wasm at the same time.
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${name} SUFFIX ${suffix}
                        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/${dir})
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS
               ${CMAKE_SOURCE_DIR}/js/pre_node_fetch.js ${CMAKE_SOURCE_DIR}/js/pre_esm_node.js)
endfunction()

# hb_wasm_module(name bindings cjs_suffix): the CJS and ESM links of one module, then the copy
# to dist/ (with sizes printed) as part of `cmake --build build-wasm --target hummingbert_wasm`.
function(hb_wasm_module id name bindings cjs_suffix)
  hb_wasm_glue(${id}_cjs ${name} ${cjs_suffix} ${id}-cjs ${bindings})
  # EXPORT_ES6: `export default createHummingbertModule`. The second pre-js gives the ES6 glue
  # the require/__dirname its Node path uses (3.1.6 writes CJS code there); never add it to the
  # CJS build, where its `var require` would shadow the real one.
  hb_wasm_glue(${id}_esm ${name} .mjs ${id}-esm ${bindings}
               -sEXPORT_ES6=1 "SHELL:--pre-js ${CMAKE_SOURCE_DIR}/js/pre_esm_node.js")
  add_custom_target(${id}_dist
    COMMAND ${CMAKE_COMMAND} -DESM_DIR=${CMAKE_BINARY_DIR}/${id}-esm
            -DCJS_DIR=${CMAKE_BINARY_DIR}/${id}-cjs -DNAME=${name} -DCJS_SUFFIX=${cjs_suffix}
            -DDIST_DIR=${HB_WASM_DIST_DIR} -DTMP_DIR=${CMAKE_BINARY_DIR}/wasm-size
            -P ${CMAKE_SOURCE_DIR}/cmake/wasm_module.cmake
    DEPENDS ${id}_cjs ${id}_esm
    COMMENT "Copying ${name}.{wasm,mjs,${cjs_suffix}} to ${HB_WASM_DIST_DIR}"
    VERBATIM)
endfunction()

if(HB_WASM_THREADS)
  # .js, not .cjs: its pool workers importScripts() it, and servers send .js as JavaScript.
  hb_wasm_module(wasm ${HB_WASM_NAME} hummingbert_wasm_bindings .js)
else()
  hb_wasm_module(wasm ${HB_WASM_NAME} hummingbert_wasm_bindings .cjs)
endif()
set(_hb_wasm_dist wasm_dist)
if(NOT HB_WASM_THREADS)  # one converter, from the single-threaded build
  hb_wasm_module(convert ${HB_CONVERT_WASM_NAME} hummingbert_convert_bindings .cjs)
  list(APPEND _hb_wasm_dist convert_dist)
endif()
if(NOT HB_WASM_THREADS)
  # The inference module once more with function names (--profiling-funcs), for the measured
  # per-operation profile of `npm run bench -- --profile` (V8 CPU profile); not in ALL, never
  # copied to dist/. Its glue differs from the shipped one (unminified import names): use both.
  hb_wasm_glue(hummingbert_wasm_profile ${HB_WASM_NAME} .mjs wasm-profile hummingbert_wasm_bindings
               -sEXPORT_ES6=1 "SHELL:--pre-js ${CMAKE_SOURCE_DIR}/js/pre_esm_node.js" --profiling-funcs)
  set_target_properties(hummingbert_wasm_profile PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
# `cmake --build build-wasm --target hummingbert_wasm` (part of ALL): all links, then dist/.
add_custom_target(hummingbert_wasm ALL DEPENDS ${_hb_wasm_dist})
