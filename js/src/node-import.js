// Node built-ins are imported through a variable specifier so bundlers (Vite, webpack, Rollup)
// neither resolve nor shim them for browser builds; the Node-only code paths are never run there.
export const importNode = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name);
