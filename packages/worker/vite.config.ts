import { defineConfig } from 'vite';

// Builds the module worker the tag starts. Not a library build: library mode inlines assets as
// base64, and the runtime's .wasm must stay separate files the browser streams and caches.
export default defineConfig({
  // Asset URLs resolve against the worker script, wherever the merchant hosts the folder.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
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
