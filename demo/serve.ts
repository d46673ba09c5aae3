import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCollector } from '@portrait/server';
import { preview } from 'vite';
import { collectorCatalogueDir } from './collector-import.ts';
import { staticAssets, viteHashedPaths } from './static-assets.ts';

// Serves the built demo shop and, on its own origin as in production, the reference collector
// on an embedded SQLite database.
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5173' },
    'collector-port': { type: 'string', default: '8787' },
    db: { type: 'string', default: join(here, '.data', 'collector.db') },
  },
});
const port = Number(values.port);
if (values.db !== ':memory:') mkdirSync(dirname(values.db), { recursive: true });

const collector = createCollector({
  dbPath: values.db,
  // The shop's own catalogue: recommendations, candidates and the PCA basis are fitted on it.
  catalogueDir: await collectorCatalogueDir(join(here, '.data')),
  allowedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
  // A local demo: a random token secret unless PORTRAIT_SECRET is set, and stats and the
  // merchant view open to the e2e checks unless PORTRAIT_ADMIN_TOKEN is set.
  dev: true,
  secret: process.env.PORTRAIT_SECRET?.trim() || undefined,
  adminToken: process.env.PORTRAIT_ADMIN_TOKEN?.trim() || undefined,
  // The startup warning about a missing secret is printed below with the hint to set one.
  logLevel: 'error',
});
await new Promise<void>((resolve) => collector.server.listen(Number(values['collector-port']), '127.0.0.1', resolve));

const shop = await preview({
  root: here,
  preview: { port, strictPort: true, host: '127.0.0.1' },
  // Compressed and cached as a production host serves them (wasm, onnx, the tag's scripts).
  // Immutable only what the shop's and the worker's Vite builds content-hashed (their manifests).
  plugins: [staticAssets(join(here, 'dist'), await viteHashedPaths(join(here, 'dist'), ['', 'portrait']))],
});
const collectorUrl = `http://127.0.0.1:${values['collector-port']}`;
console.log(`[portrait] collector (reference server, SQLite ${values.db}): ${collectorUrl}`);
console.log(`[portrait] shop:          http://localhost:${port}/`);
console.log(
  `[portrait] merchant view: ${collectorUrl}/merchant ${
    process.env.PORTRAIT_ADMIN_TOKEN ? '(asks for PORTRAIT_ADMIN_TOKEN)' : '(open: no PORTRAIT_ADMIN_TOKEN set)'
  }`,
);
if (!process.env.PORTRAIT_SECRET) {
  console.log(
    '[portrait] no secret set: device tokens last until this process stops. For tokens that survive a restart:\n' +
      '           PORTRAIT_SECRET="$(openssl rand -hex 32)" npm start',
  );
}
console.log('[portrait] Ctrl-C stops both.');

const stop = async () => {
  await shop.close();
  await collector.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
