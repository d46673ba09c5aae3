// Attacks a curious collector can run on what devices send, against the real engine and sync
// code (memory store, bag-of-words fake model): averaging everything one id sends in an epoch,
// and re-linking ids across an epoch's rotation. Each prints its figures.
import {
  compactVectors,
  cosine,
  DEFAULT_DP,
  DEFAULT_LAYOUT,
  decodePayload,
  dpSigma,
  privatize,
  randomProjectionBasis,
  releaseShare,
} from '@portrait/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../engine.ts';
import { DIM, deps, durableStore, fakeCollector, fakeModel, view } from '../engine-test-kit.ts';

const DAY = 86_400_000;
const SYNC_DIM = 16;
const layout = { ...DEFAULT_LAYOUT, longDim: SYNC_DIM };
const WORDS =
  'trail running shoes kitchen pan wok espresso grinder yoga mat tent lamp sofa desk chair drill saw paint brush garden hose rake kettle mug tea coffee cable charger phone case novel atlas puzzle lego doll crayon'.split(
    ' ',
  );

function pick(rand: () => number, n: number) {
  return Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
}
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const longOf = (body: Uint8Array | undefined) => {
  const d = decodePayload(body ?? new Uint8Array());
  return d.ok ? (d.payload.vectors[0] as Float32Array) : new Float32Array(SYNC_DIM);
};
function average(vs: Float32Array[]) {
  const out = new Float32Array(vs[0]?.length ?? 0);
  for (const v of vs) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (v[i] ?? 0) / vs.length;
  return out;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const quiet = { logLevel: 'silent', sensitiveTopics: false, syncDim: SYNC_DIM, syncMinDistance: 0 } as const;

describe('a collector averaging everything one id sends in an epoch', () => {
  it('recovers no more than one release at the whole epoch budget would give', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // Start of a UTC-aligned epoch, so the whole session falls in one.
    vi.setSystemTime(Math.ceil(Date.now() / (7 * DAY)) * 7 * DAY + 1000);
    const budget = { epsilon: 1, delta: 1e-6, releases: 7 };
    const basis = randomProjectionBasis(DIM, SYNC_DIM);
    const capped: number[] = [];
    const residuals: number[] = [];
    const counts: number[] = [];
    const devices = 12;
    for (let d = 0; d < devices; d++) {
      const collector = fakeCollector();
      const store = durableStore();
      const engine = createEngine(deps(fakeModel(), store));
      await engine.init({ ...quiet, collectorUrl: collector.url, dp: budget, syncMinIntervalMs: 0 });
      const rand = seeded(d + 1);
      // A busy week: a view every 20 minutes, each fold a chance to sync.
      for (let i = 0; i < 7 * 72; i++) {
        await engine.ingest([view(pick(rand, 3))]);
        await vi.advanceTimersByTimeAsync(20 * 60_000 - 1);
      }
      await vi.advanceTimersByTimeAsync(60_000);
      const profile = (await store.allProfiles())[0];
      const raw = compactVectors(profile as NonNullable<typeof profile>, basis, layout)[0] as Float32Array;
      // What the device noised: the vector clipped to the mechanism's norm.
      const norm = Math.hypot(...raw);
      const truth = raw.map((x) => x * Math.min(1, DEFAULT_DP.clip / norm));
      const sent = collector.posts().map((p) => longOf(p.body));
      counts.push(sent.length);
      const estimate = average(sent);
      capped.push(cosine(estimate, truth));
      for (let k = 0; k < estimate.length; k++) residuals.push((estimate[k] as number) - (truth[k] as number));
      vi.unstubAllGlobals();
    }
    // The bound: one payload noised with the whole epoch's vector budget (nothing to average).
    const whole = releaseShare({ ...budget, releases: 1 }).vectors;
    const boundSigma = dpSigma(whole, 3);
    const measuredSigma = Math.sqrt(mean(residuals.map((r) => r * r)));
    const rand = seeded(99);
    const truthOf = (i: number) => Float32Array.from({ length: SYNC_DIM }, (_, k) => 0.1 * Math.sin(i * 7 + k));
    const bound = Array.from({ length: 400 }, (_, i) => {
      const t = truthOf(i);
      return cosine(privatize([t, t.slice(0, 8), t.slice(0, 8)], whole, rand)[0] as Float32Array, t);
    });
    // Without a budget (each sync its own epsilon = 1, every 10 s): what averaging recovered before.
    const perSync = { epsilon: 1, delta: 1e-6, clip: DEFAULT_DP.clip };
    const t = truthOf(1);
    const uncapped = cosine(
      average(
        Array.from(
          { length: 10_000 },
          () => privatize([t, t.slice(0, 8), t.slice(0, 8)], perSync, rand)[0] as Float32Array,
        ),
      ),
      t,
    );
    console.log(
      [
        '| attack: average one id over an epoch | payloads | noise sd left | cosine to the true vector |',
        '|---|---:|---:|---:|',
        `| DP ε=1 per week, 7 releases (${devices} devices, a view every 20 min) | max ${Math.max(...counts)} | ${measuredSigma.toFixed(1)} | mean ${mean(capped).toFixed(4)} |`,
        `| bound: one release at the whole week's ε | 1 | ${boundSigma.toFixed(1)} | mean ${mean(bound).toFixed(4)} |`,
        `| before: ε=1 per sync, no budget, 10,000 syncs | 10000 | ${(dpSigma(perSync, 3) / 100).toFixed(2)} | ${uncapped.toFixed(4)} |`,
      ].join('\n'),
    );
    expect(Math.max(...counts)).toBeLessThanOrEqual(budget.releases);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    // Averaging everything the id sent leaves more noise than one release at the whole budget
    // would (sd sqrt(7) times larger in theory); 192 residuals measure it within about 10 %.
    expect(measuredSigma).toBeGreaterThan(boundSigma);
    expect(uncapped).toBeGreaterThan(0.5);
  }, 120_000);
});

describe('a collector re-linking ids across an epoch rotation', () => {
  it('without DP a rotated id is re-linked by its vector; with DP the link is near chance', async () => {
    const results: string[] = [];
    for (const dp of [false, true]) {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const week = 7 * DAY;
      // Two hours before an epoch ends: one sync in the old epoch, one in the new.
      vi.setSystemTime(Math.ceil(Date.now() / week) * week - 2 * 3_600_000);
      const collector = fakeCollector();
      const devices = 300;
      const engines = [];
      for (let d = 0; d < devices; d++) {
        const engine = createEngine(deps(fakeModel(), durableStore()));
        await engine.init({ ...quiet, collectorUrl: collector.url, syncMinIntervalMs: 0, ...(dp ? { dp: {} } : {}) });
        const rand = seeded(1000 + d);
        await engine.ingest(Array.from({ length: 8 }, () => view(pick(rand, 3))));
        engines.push({ engine, rand, oldId: '', newId: '' });
      }
      await vi.advanceTimersByTimeAsync(100);
      for (const e of engines) {
        const id = await e.engine.pseudonymousId();
        e.oldId = id.ok ? id.value : '';
      }
      const sentBefore = collector.posts().length;
      vi.setSystemTime(Date.now() + 3 * 3_600_000);
      // The shoppers come back in the new epoch: one more view each, one sync under a new id.
      for (const e of engines) await e.engine.ingest([view(pick(e.rand, 1))]);
      await vi.advanceTimersByTimeAsync(100);
      for (const e of engines) {
        const id = await e.engine.pseudonymousId();
        e.newId = id.ok ? id.value : '';
      }
      const byId = (posts: typeof collector.calls) => new Map(posts.map((p) => [idOf(p.body), p.body as Uint8Array]));
      const old = byId(collector.posts().slice(0, sentBefore));
      const fresh = byId(collector.posts().slice(sentBefore));
      expect(old.size).toBe(devices);
      expect(fresh.size).toBe(devices);
      // Every device has a new id, and no new payload repeats an old one byte for byte.
      for (const e of engines) {
        expect(e.newId).not.toBe(e.oldId);
        expect(fresh.has(e.newId) && old.has(e.oldId)).toBe(true);
      }
      const olds = [...old].map(([id, body]) => ({ id, long: longOf(body) }));
      // The attack: pair each new id with the old id whose vector is nearest.
      let linked = 0;
      for (const e of engines) {
        const mine = longOf(fresh.get(e.newId));
        let best = '';
        let bestCos = -Infinity;
        for (const o of olds) {
          const c = cosine(o.long, mine);
          if (c > bestCos) [best, bestCos] = [o.id, c];
        }
        if (best === e.oldId) linked++;
      }
      results.push(
        `| ${dp ? 'DP ε=1 per week (defaults)' : 'no DP'} | ${devices} | ${linked} | ${((100 * linked) / devices).toFixed(1)} % | ${(100 / devices).toFixed(1)} % |`,
      );
      if (dp) expect(linked / devices).toBeLessThan(0.05);
      else expect(linked / devices).toBeGreaterThan(0.9);
      vi.unstubAllGlobals();
    }
    console.log(
      [
        '| attack: re-link rotated ids by vector | devices | re-linked | share | chance |',
        '|---|---:|---:|---:|---:|',
        ...results,
      ].join('\n'),
    );
  }, 120_000);
});

function idOf(body: Uint8Array | undefined): string {
  const d = decodePayload(body ?? new Uint8Array());
  return d.ok ? d.payload.pseudoId : '';
}
