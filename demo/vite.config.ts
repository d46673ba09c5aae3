import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { drawerShell, footer, header } from './src/pages/chrome.ts';
import { cartPage, categoryPages, checkoutPage, homeMain, productPages } from './src/pages/pages.ts';
import { PRODUCTS } from './src/products.ts';

const here = dirname(fileURLToPath(import.meta.url));
const collector = process.env.PORTRAIT_COLLECTOR ?? 'http://127.0.0.1:8787';

// Exactly what a merchant pastes: the queue stub, then the async tag. `vite-ignore` keeps Vite
// from trying to bundle the classic tag script (it warns that it cannot); Vite removes the
// attribute from the built pages.
const snippet = `<script>window.portrait=window.portrait||function(){(portrait.q=portrait.q||[]).push(arguments)};</script>
    <script vite-ignore async src="/portrait/portrait.js" data-collector="${collector}"></script>`;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Renders the products into the pages at build time and ships the built tag, worker and
 * their assets under /portrait/, as a merchant hosting the files would.
 */
function shop(): Plugin {
  return {
    name: 'portrait-demo-shop',
    // After Vite's own HTML plugin, so the built index.html (with hashed asset URLs) is the template.
    enforce: 'post',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        return html
          .replace('<!--portrait-snippet-->', snippet)
          .replace('<!--header-->', header())
          .replace('<!--main-->', homeMain())
          .replace('<!--footer-->', footer())
          .replace('<!--drawer-->', drawerShell());
      },
    },
    generateBundle(_options, bundle) {
      const built = bundle['index.html'];
      if (built?.type !== 'asset') throw new Error('index.html was not built');
      const html = String(built.source);
      const start = html.indexOf('<main id="main"');
      const end = html.indexOf('</main>') + '</main>'.length;
      for (const page of [...productPages(), ...categoryPages(), cartPage(), checkoutPage()]) {
        const head = html
          .slice(0, start)
          .replace(
            '<title>Portrait Outfitters · demo shop</title>',
            `<title>${page.title} · Portrait Outfitters</title>${page.head ? `\n    ${page.head}` : ''}`,
          );
        this.emitFile({ type: 'asset', fileName: page.file, source: head + page.main + html.slice(end) });
      }
      // What the page script needs to render search results and recommendations by id.
      this.emitFile({ type: 'asset', fileName: 'products.json', source: JSON.stringify(PRODUCTS) });
      const shipped: [string, string][] = [
        [join(here, '..', 'packages', 'capture', 'dist'), 'portrait'],
        [join(here, '..', 'packages', 'worker', 'dist'), 'portrait'],
        // The int8 encoder only: the fp32 file is for parity tests, not for shoppers' devices.
        [join(here, '..', 'packages', 'model', 'dist', 'models', 'use-lite'), 'portrait/models/use-lite'],
      ];
      for (const [dist, prefix] of shipped) {
        for (const file of walk(dist)) {
          if (file.endsWith('.map') || file.endsWith('onnx/model.onnx')) continue;
          this.emitFile({ type: 'asset', fileName: `${prefix}/${relative(dist, file)}`, source: readFileSync(file) });
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [shop()],
  // The ~360 emitted pages and assets are no news: warnings and errors only, no gzip sizes.
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The manifest (dist/.vite/, not served) names the files this build content-hashed: serve.ts
    // caches only those for good.
    manifest: true,
    reportCompressedSize: false,
    // The plugin-timing note (the shop plugin copies the model files) is not a problem to report.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  preview: { port: 5173, strictPort: true },
});
