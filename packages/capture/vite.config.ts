import { defineConfig } from 'vite';

// The storefront tag: one classic script (IIFE) that works with a plain <script async src>.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: true,
    lib: {
      entry: 'src/tag.ts',
      name: 'portraitTag',
      formats: ['iife'],
      fileName: () => 'portrait.js',
    },
  },
});
