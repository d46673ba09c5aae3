import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vite';

// The download bar's total must include the runtime's .wasm before its first byte arrives. Its
// size is a fact of this build, so the build states it: `define` reads the very files the
// worker's `?url` imports resolve to (same specifier, same package), at the moment Vite emits
// them, and nothing can go stale. A generated JSON beside the source would be a second copy to
// keep in step with the installed onnxruntime-web (and to commit or to generate before tests).
const resolve = createRequire(import.meta.url).resolve;
const wasmBytes = (specifier: string) => statSync(resolve(specifier)).size;
const ORT_WASM_BYTES = {
  wasmOnly: wasmBytes('onnxruntime-web/ort-wasm-simd-threaded.wasm'),
  asyncify: wasmBytes('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm'),
};

// Builds the module worker the tag starts. Not a library build: library mode inlines assets as
// base64, and the runtime's .wasm must stay separate files the browser streams and caches.
export default defineConfig({
  // Asset URLs resolve against the worker script, wherever the merchant hosts the folder.
  base: './',
  define: { __PORTRAIT_ORT_WASM_BYTES__: JSON.stringify(ORT_WASM_BYTES) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    // dist/.vite/manifest.json: which outputs are content-hashed, for hosts that cache those for good.
    manifest: true,
    // Vite's preload helper for dynamic imports touches `document`, which a worker does not have.
    modulePreload: false,
    rollupOptions: {
      input: 'src/worker.ts',
      output: {
        format: 'es',
        entryFileNames: 'portrait-worker.js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  worker: { format: 'es' },
});
