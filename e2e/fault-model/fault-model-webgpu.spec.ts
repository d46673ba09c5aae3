import type { Page } from '@playwright/test';
import { SPORTS, view } from '../engine/catalogue.ts';
import { ingest } from '../engine/scenario.ts';
import { recordFault } from '../fault-ledger.ts';
import { expect, readIndexedDb, SCENARIO_URL, test, WEBGPU_ARGS } from '../fixtures.ts';

// The WebGPU device is lost in the middle of an inference (a driver reset, the OS reclaiming the
// GPU), simulated with the spec's own `device.destroy()` right after the fold's work is submitted.
// onnxruntime-web cannot run any later session in that runtime (WASM ones included), so the engine
// reports a typed error, keeps the batch, and the next worker runs WASM and folds it, once.

test.use({
  launchOptions: async ({ launchOptions }, use) =>
    use({ ...launchOptions, args: [...(launchOptions.args ?? []), ...WEBGPU_ARGS] }),
});

type Status = {
  state: string;
  model: { state: string; backend?: string; reason?: string; error?: { code: string; message: string } };
  storedEvents: number;
  pendingEvents: number;
  profileEvents: number;
};
type Stored = { id: string; applied: 0 | 1; seq?: number };
type Profile = { count: number };
type GpuHook = { devices: GPUDevice[]; armed: boolean; destroyed: number };

const status = async (page: Page) => {
  const s = await page.evaluate(() => window.engine.status());
  return s.ok ? (s.value as Status) : undefined;
};

test('WebGPU device lost mid-inference (device.destroy() after a submit; injected in the worker): degraded with the typed error, events kept, folded once on WASM at the next start', async ({
  page,
  pageErrors,
}) => {
  test.setTimeout(90_000);
  const started = page.waitForEvent('worker');
  await page.goto(`${SCENARIO_URL}/engine/index.html`);
  const worker = await started;
  // Before init: keep a handle on every GPUDevice onnxruntime asks for, and destroy them right
  // after the next queue submission once armed (the GPU work of an inference is then in flight).
  await worker.evaluate(() => {
    const hook: GpuHook = { devices: [], armed: false, destroyed: 0 };
    (self as unknown as { gpuHook: GpuHook }).gpuHook = hook;
    const requestDevice = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, ...a) {
      const d = await requestDevice.apply(this, a);
      hook.devices.push(d);
      return d;
    };
    const submit = GPUQueue.prototype.submit;
    GPUQueue.prototype.submit = function (this: GPUQueue, ...a) {
      submit.apply(this, a);
      if (!hook.armed) return;
      hook.armed = false;
      for (const d of hook.devices) d.destroy();
      hook.destroyed = hook.devices.length;
    };
  });
  await page.waitForFunction(() => 'engine' in window);
  const init = await page.evaluate(() =>
    window.engine.init({ modelBaseUrl: '/models/', backend: 'webgpu', labels: [] }),
  );
  expect(init.ok).toBe(true);
  await expect.poll(async () => (await status(page))?.model.state, { timeout: 60_000 }).toBe('ready');
  expect((await status(page))?.model.backend).toBe('webgpu');

  const first = SPORTS.slice(0, 2).map((t) => view(t, 'Sports > Running'));
  expect((await ingest(page, first)).ok).toBe(true);
  expect((await status(page))?.profileEvents).toBe(2);

  // The device goes while the next batch is being embedded.
  await worker.evaluate(() => {
    (self as unknown as { gpuHook: GpuHook }).gpuHook.armed = true;
  });
  const second = SPORTS.slice(2, 6).map((t) => view(t, 'Sports > Running'));
  const r = await ingest(page, second);
  // Stored, so accepted: the fold that failed is the engine's to redo, not the page's.
  expect(r.ok && r.value.accepted).toBe(second.length);
  expect(await worker.evaluate(() => (self as unknown as { gpuHook: GpuHook }).gpuHook.destroyed)).toBeGreaterThan(0);

  // Degraded, and says why: the typed error names the failure; the batch is kept, not folded.
  await expect
    .poll(async () => (await status(page))?.model.error?.code, { timeout: 30_000 })
    .toBe('model/backend-failed');
  const degraded = (await status(page)) as Status;
  expect(degraded).toMatchObject({ state: 'degraded', storedEvents: 6, pendingEvents: 4, profileEvents: 2 });
  expect(degraded.model.error?.message).toContain('Device was lost');
  // Events keep coming while degraded: stored, pending.
  const third = SPORTS.slice(6, 8).map((t) => view(t, 'Sports > Running'));
  const r3 = await ingest(page, third);
  expect(r3.ok && r3.value.accepted).toBe(third.length);
  expect(await status(page)).toMatchObject({ pendingEvents: 6, profileEvents: 2 });

  // The next worker (a reload here; the next page view or the tag's restart on a shop) runs WASM,
  // although the config still asks for WebGPU, and folds the pending events.
  await page.reload();
  await page.waitForFunction(() => 'engine' in window);
  expect(
    (await page.evaluate(() => window.engine.init({ modelBaseUrl: '/models/', backend: 'webgpu', labels: [] }))).ok,
  ).toBe(true);
  await expect
    .poll(
      async () => {
        const s = await status(page);
        return s && { state: s.model.state, backend: s.model.backend, pending: s.pendingEvents };
      },
      { timeout: 60_000, message: 'WASM on the next start, pending folded' },
    )
    .toEqual({ state: 'ready', backend: 'wasm', pending: 0 });
  const after = (await status(page)) as Status;
  expect(after.model.reason).toContain('WebGPU failed here recently');
  const total = first.length + second.length + third.length;
  expect(after).toMatchObject({ state: 'ready', storedEvents: total, profileEvents: total });

  const stored = (await readIndexedDb(page, 'portrait', 'events')) as Stored[];
  const profile = ((await readIndexedDb(page, 'portrait', 'profiles')) as Profile[])[0];
  expect(stored.every((e) => e.applied === 1)).toBe(true);
  expect(new Set(stored.map((e) => e.seq)).size).toBe(stored.length);
  expect(profile?.count).toBe(total);
  // transformers.js logs the failed run to the console; nothing else may.
  expect(pageErrors.filter((e) => !/model execution|Inputs given|404/.test(e))).toEqual([]);

  await recordFault(test.info(), {
    fault: 'WebGPU device lost mid-inference',
    eventsIn: total,
    eventsReflected: profile?.count ?? 0,
    syncsAcked: 0,
    lost: total - stored.filter((e) => e.applied === 1).length,
    duplicated: Math.max(0, (profile?.count ?? 0) - stored.length),
    note: `degraded (model/backend-failed) until the next start, then WASM; ${second.length} interrupted + ${third.length} later events folded there`,
  });
});
