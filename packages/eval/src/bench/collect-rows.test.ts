import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './bench-args.ts';
import { benchTable } from './bench-table.ts';
import { collectRows } from './collect-rows.ts';
import { SECTIONS } from './sections.ts';

const section = (name: string) => SECTIONS.find((s) => s.name === name) as (typeof SECTIONS)[number];

// Shapes as the model, worker and capture benches write them.
const MODEL = {
  speedups: { int8VsFp32Batch32: 3.8, int8VsTfjsBatch32: 78 },
  sizes: { onnxInt8Bytes: 7_231_391, onnxFp32Bytes: 28_042_761 },
};
const ENGINE = {
  wasm: { hitP95: 21.3, missP95: 272.9, uniqueEventsPerSec: 352 },
  naive: { uniqueEventsPerSec: 105.6 },
  vsNaive: { unique: 3.33 },
};
const CAPTURE = {
  sizes: [
    { name: 'portrait (this tag)', gzip: 4859 },
    { name: 'a', gzip: 31_322 },
    { name: 'b', gzip: 17_423 },
  ],
  withTag: {
    perEvent: { click: { p95: 0.03 }, track: { p95: 0.025 } },
    phases: { load: { longTasks: 2 }, burst: { longTasks: 0 } },
  },
  baseline: {
    perEvent: { click: { p95: 0.015 }, track: { p95: 0.01 } },
    phases: { load: { longTasks: 1 }, burst: { longTasks: 0 } },
  },
};

const SYNC = { payloadBytes: 127, rawToPayloadRatio: 68.4, rawEventBytes: 8693 };
const FIRST_VISIT = {
  paths: {
    'catalogue-first': {
      cold: { msToProfile: { p50: 420, p95: 610 }, bytesToProfile: { portrait: 96_000, other: 11_000 } },
      next: { msToProfile: { p50: 60, p95: 90 } },
      workerCpuMs: { perPageView: { p50: 40 } },
      throttled: { completePercent: 100 },
    },
    'model-first': {
      cold: { msToProfile: { p50: 3000, p95: 6100 }, bytesToProfile: { portrait: 9_500_000 } },
      next: { msToProfile: { p50: 1500, p95: 2000 } },
      workerCpuMs: { perPageView: { p50: 1000 } },
      throttled: { completePercent: 50 },
    },
  },
  speedupVsModelFirst: { coldP95: 10 },
  wasmRuntime: { gzip: 3_695_787 },
};
const SERVER = { errors: 0, sqlite: { upsertsPerSec: 9428.4, errors: 0 }, postgres: { upsertsPerSec: 3383.2 } };

function results(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'portrait-bench-'));
  for (const [f, json] of Object.entries(files)) writeFileSync(join(dir, f), JSON.stringify(json));
  return dir;
}

describe('bench rows', () => {
  const dir = results({ 'model.json': MODEL, 'engine.json': ENGINE, 'capture.json': CAPTURE });

  it('maps each section’s JSON to the contract ids, with goals, baselines and ratios', () => {
    const rows = ['model', 'engine', 'capture'].flatMap((s) => collectRows(section(s), { ran: true }, dir));
    const by = new Map(rows.map((r) => [r.metric, r]));
    expect(by.get('model.int8_bytes')).toMatchObject({ value: 7_231_391, status: 'ok', baseline: 28_042_761 });
    expect(by.get('model.int8_vs_tfjs_speedup')).toMatchObject({ value: 78, status: 'ok' });
    expect(by.get('engine.wasm.hit_p95_ms')).toMatchObject({ value: 21.3, status: 'ok' });
    expect(by.get('engine.wasm.miss_p95_ms')).toMatchObject({ value: 272.9, status: 'missed' });
    expect(by.get('engine.wasm.events_per_s')?.ratio).toBeCloseTo(352 / 105.6);
    expect(by.get('engine.wasm.vs_naive_ratio')).toMatchObject({ value: 3.33, status: 'ok' });
    expect(by.get('capture.tag_gzip_bytes')).toMatchObject({ value: 4859, baseline: 17_423, status: 'ok' });
    expect(by.get('capture.main_thread_per_event_p95_ms')).toMatchObject({ value: 0.03, baseline: 0.015 });
    expect(by.get('capture.long_tasks')).toMatchObject({ value: 1, status: 'missed' });
    expect(benchTable(rows)).toContain('| engine.wasm.miss_p95_ms | 272.9 | ms | <= 150 | - | - | missed |');
  });

  it('reads the sync and server numbers the server bench writes', () => {
    const both = results({ 'sync.json': SYNC, 'server.json': SERVER });
    const rows = ['sync', 'server'].flatMap((s) => collectRows(section(s), { ran: true }, both));
    expect(rows.map((r) => [r.metric, r.value, r.status])).toEqual([
      ['sync.payload_bytes', 127, 'ok'],
      ['sync.raw_to_payload_ratio', 68.4, 'ok'],
      ['server.sqlite_upserts_per_s', 9428.4, 'ok'],
      ['server.errors', 0, 'ok'],
    ]);
  });

  it('reads the first-visit rows with model-first as each row’s baseline', () => {
    const rows = collectRows(section('first-visit'), { ran: true }, results({ 'first-visit.json': FIRST_VISIT }));
    expect(rows.map((r) => [r.metric, r.value, r.baseline, r.status])).toEqual([
      ['first_visit.cold_bytes_to_profile', 96_000, 9_500_000, 'ok'],
      ['first_visit.cold_ms_to_profile_p95', 610, 6100, 'missed'],
      ['first_visit.speedup_vs_model_first', 10, undefined, 'ok'],
      ['first_visit.next_page_ms_to_profile_p95', 90, 2000, 'ok'],
      ['first_visit.worker_cpu_ms_per_page_view', 40, 1000, 'no goal'],
      ['first_visit.wasm_runtime_gzip_bytes', 3_695_787, undefined, 'ok'],
      ['first_visit.throttled_sessions_complete', 100, 50, 'ok'],
    ]);
  });

  it('reports sections that did not run or wrote nothing as such, never with a number', () => {
    const missing = ['sync', 'server'].flatMap((s) => collectRows(section(s), { ran: true }, dir));
    expect(missing.map((r) => r.metric)).toEqual([
      'sync.payload_bytes',
      'sync.raw_to_payload_ratio',
      'server.sqlite_upserts_per_s',
      'server.errors',
    ]);
    for (const r of missing) expect(r).toMatchObject({ value: null, status: expect.stringMatching(/^not run/) });
    const failed = collectRows(section('model'), { ran: false, reason: 'failed (exit 1) after 3 s' }, dir);
    for (const r of failed) expect(r).toMatchObject({ value: null, status: 'failed (exit 1) after 3 s' });
    const partial = collectRows(section('model'), { ran: true }, results({ 'model.json': { sizes: {} } }));
    expect(partial[0]).toMatchObject({ value: null, status: 'missing in model.json' });
  });

  it('parses --only and --json, and rejects unknown sections', () => {
    const names = SECTIONS.map((s) => s.name);
    expect(parseBenchArgs(['--only', 'model,engine', '--json', 'x.json'], names)).toEqual({
      only: ['model', 'engine'],
      json: 'x.json',
      noRun: false,
    });
    expect(() => parseBenchArgs(['--only', 'gpu'], names)).toThrow(/unknown section gpu/);
  });
});
