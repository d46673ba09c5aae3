import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { ProductInfo } from '@portrait/core';
import { SEED_PRODUCTS } from '@portrait/fixtures/seed-products';
import { PRODUCTS } from '../../demo/src/products.ts';
import { expect, SCENARIO_URL, test } from '../fixtures.ts';
import { ownCollector } from '../own-collector.ts';

// The retail titles are read in place from the workspace's sibling shared/ folder, never copied.
const RETAIL_ITEMS = join(
  dirname(fileURLToPath(import.meta.url)),
  ...['..', '..', '..', 'shared', 'datasets', 'online-retail-dev', 'items.jsonl'],
);
const RETAIL_SAMPLE = 300;

/** Every k-th item of the retail catalogue, in file order: the same 300 on every run. */
function retailSample(): ProductInfo[] {
  if (!existsSync(RETAIL_ITEMS)) {
    throw new Error(
      `catalogue-parity needs the retail data set: ${RETAIL_ITEMS} is missing (see /work/shared/datasets)`,
    );
  }
  const all = readFileSync(RETAIL_ITEMS, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; title: string });
  const step = Math.floor(all.length / RETAIL_SAMPLE);
  return Array.from({ length: RETAIL_SAMPLE }, (_, i) => all[i * step] as { id: string; title: string }).map(
    ({ id, title }) => ({ id, title }),
  );
}

// Each catalogue imported by the collector's real import (onnxruntime-node) into a collector of its own.
const shopItems = () =>
  PRODUCTS.map(({ id, title, category, brand, price }) => ({ id, title, category, brand, price }));
const demo = ownCollector('parity-demo', { catalogue: shopItems });
let retail: ProductInfo[] = [];
const retailCollector = ownCollector('parity-retail', {
  catalogue: () => {
    retail = retailSample();
    return retail;
  },
});

test.describe.configure({ timeout: 180_000 });

async function parity(page: Page, collectorUrl: string, products: ProductInfo[], label: string) {
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await page.goto(`${SCENARIO_URL}/catalogue-parity/index.html`);
  await expect(page.locator('#status')).toHaveText('ready');
  const { device, rows } = await page.evaluate(([url, p]) => window.parity(url, p), [collectorUrl, products] as const);
  expect(device).toBe('wasm');
  // The runtime a device without WebGPU gets: onnxruntime-web's WASM-only build, not asyncify.
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.filter((w) => w.includes('asyncify'))).toEqual([]);
  expect(rows.filter((r) => r.cosine === undefined).map((r) => r.id)).toEqual([]);
  const cosines = rows.map((r) => r.cosine as number).sort((a, b) => a - b);
  const worst = rows.reduce((w, r) => ((r.cosine as number) < (w.cosine as number) ? r : w));
  console.log(
    `${label}: ${rows.length} items, shard vs browser (WASM) cosine min ${cosines[0]?.toFixed(6)} median ${cosines[Math.floor(cosines.length / 2)]?.toFixed(6)} (worst ${worst.id} "${worst.text}")`,
  );
  for (const r of rows) expect(r.cosine, `${r.id} "${r.text}"`).toBeGreaterThanOrEqual(0.999);
}

test('the demo catalogue: every product’s shard vector is the vector the browser computes for it (cosine >= 0.999)', async ({
  page,
}) => {
  const products = shopItems();
  // The shop's whole catalogue, the seed products among it.
  expect(SEED_PRODUCTS.filter((s) => !products.some((p) => p.id === s.id))).toEqual([]);
  await parity(page, demo.url, products, `demo catalogue (${SEED_PRODUCTS.length} seed products among them)`);
});

test('300 retail titles: each shard vector is the vector the browser computes for the title (cosine >= 0.999)', async ({
  page,
}) => {
  expect(retail).toHaveLength(RETAIL_SAMPLE);
  // Titles with doubled spaces are in the sample: the import must embed the text the worker does.
  console.log(`retail sample: ${retail.filter((p) => /\s\s/.test(p.title ?? '')).length} titles with doubled spaces`);
  await parity(page, retailCollector.url, retail, 'retail titles');
});
