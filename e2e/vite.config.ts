import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', 'packages');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
};

/**
 * Serves the built tag and worker at /portrait/ (as a merchant hosts them), so scenarios test
 * the shipped files rather than sources.
 */
function builtPortrait(): Plugin {
  const roots = [join(packages, 'capture', 'dist'), join(packages, 'worker', 'dist')];
  return {
    name: 'portrait-built-assets',
    configureServer(server) {
      server.middlewares.use('/portrait', (req, res, next) => {
        const rel = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
        const file = roots.map((r) => join(r, rel)).find((f) => existsSync(f) && statSync(f).isFile());
        if (!file) return next();
        res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
        createReadStream(file).pipe(res);
      });
    },
  };
}

// Serves each scenario folder (e2e/<name>/index.html) for Playwright, with the converted
// model files at /models/ so pages load them from their own origin, never a hub.
export default defineConfig({
  root: here,
  publicDir: join(packages, 'model', 'dist'),
  plugins: [builtPortrait()],
  // A missing file must be a 404 as on a real host, not the SPA fallback page.
  appType: 'mpa',
  // Tests reload pages themselves; a file edited mid-run must not reload them behind their back.
  server: { port: 5174, strictPort: true, host: 'localhost', hmr: false, watch: null },
  // onnxruntime-web must not be pre-bundled, or the first load reloads the page.
  optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
  worker: { format: 'es' },
});
