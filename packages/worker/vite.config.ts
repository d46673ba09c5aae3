import { defineConfig } from 'vite';

// Builds the module worker the tag starts: one ES module plus its hashed assets (wasm).
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'src/worker.ts',
      formats: ['es'],
      fileName: () => 'portrait-worker.js',
    },
  },
});
