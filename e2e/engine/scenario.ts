import type { Page } from '@playwright/test';
import { expect, readIndexedDb, SCENARIO_URL } from '../fixtures.ts';
import { KITCHEN, LABELS, SPORTS, view } from './catalogue.ts';

type Profile = { modelId: string; count: number; long: Float32Array; short: Float32Array };

const cos = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return d / Math.sqrt(na * nb);
};

export async function start(page: Page, config: Record<string, unknown> = {}) {
  await page.goto(`${SCENARIO_URL}/engine/index.html`);
  await page.waitForFunction(() => 'engine' in window);
  const init = await page.evaluate((cfg) => window.engine.init({ modelBaseUrl: '/models/', ...cfg }), {
    labels: LABELS,
    ...config,
  });
  expect(init.ok).toBe(true);
  await expect
    .poll(async () => page.evaluate(async () => (await window.engine.status()).ok && (await window.engine.status())), {
      timeout: 60_000,
    })
    .toMatchObject({ value: { model: { state: 'ready' } } });
}

export const ingest = (page: Page, events: unknown[]) => page.evaluate((e) => window.engine.ingest(e), events);
const explainTop = async (page: Page) => {
  const r = await page.evaluate(() => window.engine.explain(3));
  return r.ok ? r.value[0]?.label : undefined;
};
export const storedProfile = async (page: Page) =>
  ((await readIndexedDb(page, 'portrait', 'profiles')) as Profile[])[0];

/** The interest-shift scenario, run once per backend (engine.spec.ts, engine-webgpu.spec.ts). */
export async function interestShift(page: Page, backend: 'wasm' | 'webgpu') {
  await start(page, { backend });
  const status = await page.evaluate(() => window.engine.status());
  expect(status.ok && status.value.model.backend).toBe(backend);

  for (const t of SPORTS) expect((await ingest(page, [view(t, 'Sports > Running')])).ok).toBe(true);
  expect(await explainTop(page)).toBe('running and sports gear');
  const afterSports = await storedProfile(page);

  for (const t of KITCHEN) await ingest(page, [view(t, 'Home > Kitchen > Cookware')]);
  expect(await explainTop(page)).toBe('kitchen cookware and cooking');
  const after = await storedProfile(page);
  expect(after?.count).toBe(20);
  // How far each vector turned during the kitchen run, from where it stood after the sports run.
  const shortMoved = 1 - cos(after?.short ?? [], afterSports?.short ?? []);
  const longMoved = 1 - cos(after?.long ?? [], afterSports?.long ?? []);
  expect(shortMoved).toBeGreaterThan(longMoved);

  // Reload: the profile read straight from IndexedDB is the same.
  await page.reload();
  await page.waitForFunction(() => 'engine' in window);
  const reloaded = await storedProfile(page);
  expect(Array.from(reloaded?.long ?? [])).toEqual(Array.from(after?.long ?? []));
  expect(reloaded?.count).toBe(20);
}
