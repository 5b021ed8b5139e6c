# The relaxed-SIMD kernel module (src/kernels/relaxed_simd_gemm.c), for the single-threaded wasm
# build. Emscripten 3.1.6 (clang 14) cannot emit i32x4.relaxed_dot_i8x16_i7x16_add_s, Debian's
# clang-19 + lld-19 can (the default wasm-ld 14 corrupts the instructions). The module imports
# the main module's memory and is embedded in the main module as bytes
# (relaxed_simd_gemm_wasm.inc), which wasm/relaxed_simd_bindings.cc instantiates at run time.
# Without clang-19/lld-19 the build goes on without it (SIMD128 kernels only).
#
# Script mode (-P): -DWASM= -DOUT= -DOBJDUMP=: checks that the module has no data segment and
# never touches its stack pointer (it shares memory it does not own), then writes OUT.
if(CMAKE_SCRIPT_MODE_FILE)
  if(OBJDUMP)
    execute_process(COMMAND ${OBJDUMP} -x ${WASM} OUTPUT_VARIABLE _sections)
    execute_process(COMMAND ${OBJDUMP} -d ${WASM} OUTPUT_VARIABLE _code)
    if(_sections MATCHES "Data\\[" OR _code MATCHES "global\\.(get|set)")
      message(FATAL_ERROR "${WASM} has a data segment or uses its stack pointer; "
                          "the kernel must not own any of the shared memory")
    endif()
  endif()
  file(READ ${WASM} _hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
  string(REGEX REPLACE "((0x..,){24})" "\\1\n" _bytes "${_bytes}")
  file(WRITE ${OUT} "// Generated from src/kernels/relaxed_simd_gemm.c by cmake/relaxed_simd_kernel.cmake.\n"
                    "${_bytes}\n")
  return()
endif()

set(HB_RELAXED_SIMD_KERNEL OFF)
if(HB_WASM_THREADS)
  return()  # pool threads have their own function tables: the kernel would be missing there
endif()
find_program(HB_CLANG19 NAMES clang-19)
find_program(HB_WASM_LD19 NAMES wasm-ld-19)
find_program(HB_WASM_OBJDUMP NAMES wasm-objdump)
if(NOT HB_CLANG19 OR NOT HB_WASM_LD19)
  message(WARNING "clang-19/lld-19 not found (apt install clang-19 lld-19): building without "
                  "the relaxed-SIMD kernel")
  return()
endif()
set(HB_RELAXED_SIMD_KERNEL ON)
set(_src ${CMAKE_SOURCE_DIR}/src/kernels/relaxed_simd_gemm.c)
set(_dir ${CMAKE_BINARY_DIR}/relaxed_simd)
set(HB_RELAXED_SIMD_INC ${_dir}/relaxed_simd_gemm_wasm.inc)
add_custom_command(
  OUTPUT ${HB_RELAXED_SIMD_INC}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_dir}
  COMMAND ${HB_CLANG19} --target=wasm32-unknown-unknown -O3 -msimd128 -mrelaxed-simd -nostdlib
          -fno-builtin -Wall -Wextra -Werror -c ${_src} -o ${_dir}/relaxed_simd_gemm.o
  COMMAND ${HB_WASM_LD19} --no-entry --import-memory --strip-all --initial-memory=65536
          -z stack-size=0 ${_dir}/relaxed_simd_gemm.o -o ${_dir}/relaxed_simd_gemm.wasm
  COMMAND ${CMAKE_COMMAND} -DWASM=${_dir}/relaxed_simd_gemm.wasm -DOUT=${HB_RELAXED_SIMD_INC}
          -DOBJDUMP=${HB_WASM_OBJDUMP} -P ${CMAKE_CURRENT_LIST_FILE}
  DEPENDS ${_src} ${CMAKE_CURRENT_LIST_FILE}
  COMMENT "Building the relaxed-SIMD kernel module with clang-19"
  VERBATIM)
