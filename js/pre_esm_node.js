// --pre-js for the ES module glue only (after pre_node_fetch.js). The 3.1.6 EXPORT_ES6 glue uses
// require() and __dirname in its Node path, which do not exist in an ES module; give it both.
// `_scriptDir` is import.meta.url inside the ES6 factory (writing `import.meta` here would crash
// emcc's JS optimizer). Needs process.getBuiltinModule (Node >= 20.16). Never add this to the
// CJS build: its `var require` would shadow the real one there.
if (typeof process == 'object' && typeof process.getBuiltinModule == 'function' &&
    typeof _scriptDir == 'string' && _scriptDir.startsWith('file:')) {
  var require = process.getBuiltinModule('module').createRequire(_scriptDir);
  var __dirname = require('path').dirname(require('url').fileURLToPath(_scriptDir));
  if (!Module['locateFile']) Module['locateFile'] = function(p, dir) { return dir + p; };
}
