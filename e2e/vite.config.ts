import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

// Serves each scenario folder (e2e/<name>/index.html) for Playwright, with the converted
// model files at /models/ so pages load them from their own origin, never a hub.
export default defineConfig({
  root: here,
  publicDir: join(here, '..', 'packages', 'model', 'dist'),
  server: { port: 5174, strictPort: true, host: 'localhost' },
  // onnxruntime-web must not be pre-bundled, or the first load reloads the page.
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
  worker: { format: 'es' },
});
