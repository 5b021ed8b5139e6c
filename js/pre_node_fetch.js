// --pre-js for both glue flavours (cmake/wasm_module.cmake). Emscripten 3.1.6 glue calls fetch()
// with the .wasm *file path* when it runs under Node 18+, which fails ("Failed to parse URL").
// Shadowing `fetch` inside the factory makes the glue take its Node fs path; browsers and workers
// keep the real fetch. (The package passes wasmBinary in Node anyway; this keeps the bare glue
// usable on its own.)
var fetch = (typeof process == 'object' && typeof process.versions == 'object' &&
             typeof process.versions.node == 'string')
    ? undefined : globalThis.fetch.bind(globalThis);
