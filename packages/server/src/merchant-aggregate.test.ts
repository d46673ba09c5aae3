// The aggregate counters of POST /v1/aggregate live in the collector's database: they survive a
// kill -9 and restart, two collector processes on one database count every concurrent report
// and show the same sums, and the stored rows are counter names and sums only. Real SQLite and
// PostgreSQL, real collector processes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@portrait/core';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATE_COUNTERS, type AggregateCounter, aggregateTotals } from './merchant.ts';
import { openPostgresStore } from './store/postgres-store.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { AggregateTotals, ProfileStore } from './store/types.ts';
import { type CollectorProcess, startCollector, stopCollector } from './test-support/collector-process.ts';
import { freshDatabase, startPostgres } from './test-support/postgres.ts';

const ADMIN = 'aggregate-admin-token';
const env = { PORTRAIT_SECRET: 'aggregate-secret', PORTRAIT_ADMIN_TOKEN: ADMIN };

/** A device's report: a holdout arm's impressions and clicks and some milestones, keys in random order. */
function reports(n: number, seed: number): AggregateTotals[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const arm = rand() < 0.5 ? 'on' : 'off';
    const impressions = 1 + Math.floor(rand() * 20);
    const r: AggregateTotals = {
      [`${arm}Impressions`]: impressions,
      [`${arm}Clicks`]: Math.floor(rand() * (impressions + 1)),
    };
    for (const k of AGGREGATE_COUNTERS) if (k.startsWith('pages') && rand() < 0.4) r[k] = 1;
    const keys = Object.keys(r).sort(() => rand() - 0.5) as AggregateCounter[];
    return Object.fromEntries(keys.map((k) => [k, r[k]])) as AggregateTotals;
  });
}
const sums = (all: readonly AggregateTotals[]) => {
  const out = aggregateTotals({});
  for (const r of all) for (const [k, v] of Object.entries(r)) out[k as AggregateCounter] += v;
  return out;
};

interface MerchantJson {
  milestones: { pages: number; devices: number; withProfile: number }[];
  holdout: { on: { impressions: number; clicks: number }; off: { impressions: number; clicks: number } };
}
async function view(c: CollectorProcess) {
  const r = await fetch(`${c.url}/v1/merchant`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(r.status).toBe(200);
  const m = (await r.json()) as MerchantJson;
  return { milestones: m.milestones, on: m.holdout.on, off: m.holdout.off };
}
// What the view should show for these sums (its milestones cap withProfile at devices).
const expectedView = (t: Record<AggregateCounter, number>) => ({
  milestones: ([1, 3, 5] as const).map((p) => ({
    pages: p,
    devices: t[`pages${p}`],
    withProfile: Math.min(t[`pages${p}`], t[`pages${p}Profile`]),
  })),
  on: { impressions: t.onImpressions, clicks: t.onClicks },
  off: { impressions: t.offImpressions, clicks: t.offClicks },
});
const pick = (v: Awaited<ReturnType<typeof view>>) => ({
  milestones: v.milestones.map(({ pages, devices, withProfile }) => ({ pages, devices, withProfile })),
  on: { impressions: v.on.impressions, clicks: v.on.clicks },
  off: { impressions: v.off.impressions, clicks: v.off.clicks },
});

let pgServer: Awaited<ReturnType<typeof startPostgres>>;
let dir = '';
beforeAll(async () => {
  pgServer = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'portrait-aggregate-'));
}, 60_000);
afterAll(() => {
  pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const storages = {
  sqlite: async () => {
    const path = join(dir, `aggregate-${n++}.db`);
    return {
      args: ['--db', path],
      open: async () => openSqliteStore(path),
      // The table's columns and names, read with the driver, not through the store.
      async raw() {
        const db = new Database(path, { readonly: true });
        try {
          const columns = db.prepare("SELECT name FROM pragma_table_info('aggregates')").pluck().all();
          const names = db.prepare('SELECT name FROM aggregates').pluck().all();
          return { columns, names };
        } finally {
          db.close();
        }
      },
    };
  },
  postgres: async () => {
    const url = await freshDatabase(pgServer.url);
    return {
      args: ['--postgres', url],
      open: () => openPostgresStore(url, 8),
      async raw() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const cols = await client.query<{ column_name: string }>(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'aggregates' ORDER BY ordinal_position",
          );
          const names = await client.query<{ name: string }>('SELECT name FROM aggregates');
          return { columns: cols.rows.map((r) => r.column_name), names: names.rows.map((r) => r.name) };
        } finally {
          await client.end();
        }
      },
    };
  },
} as const;

describe.each(['sqlite', 'postgres'] as const)('aggregate counters on %s', (adapter) => {
  it('two connections adding concurrently lose no increment and never deadlock', async () => {
    const where = await storages[adapter]();
    const stores: ProfileStore[] = [await where.open(), await where.open()];
    try {
      const all = reports(600, 11);
      // Every report in flight at once, alternating between the two connections.
      await Promise.all(all.map((r, i) => (stores[i % 2] as ProfileStore).addAggregates(r)));
      const want = sums(all);
      for (const s of stores) expect(aggregateTotals(await s.aggregates())).toEqual(want);
    } finally {
      for (const s of stores) await s.close();
    }
  }, 60_000);

  it('two collector processes on one database count every concurrent report alike, and the sums survive kill -9 and a restart', async () => {
    const where = await storages[adapter]();
    const args = [...where.args, '--origin', 'http://shop.test', '--ip-per-minute', '0'];
    const [a, b] = await Promise.all([startCollector(args, 0, env), startCollector(args, 0, env)]);
    const all = reports(400, 23);
    try {
      let next = 0;
      // 16 concurrent senders, each report to one of the two processes in turn.
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < all.length; i = next++) {
            const r = await fetch(`${(i % 2 ? a : b).url}/v1/aggregate`, {
              method: 'POST',
              headers: { 'content-type': 'text/plain', origin: 'http://shop.test' },
              body: JSON.stringify(all[i]),
            });
            expect(r.status).toBe(204);
          }
        }),
      );
      const want = expectedView(sums(all));
      expect(pick(await view(a))).toEqual(want);
      expect(pick(await view(b))).toEqual(want);
    } finally {
      await Promise.all([stopCollector(a, 'SIGKILL'), stopCollector(b, 'SIGKILL')]);
    }
    const again = await startCollector(args, 0, env);
    try {
      expect(pick(await view(again))).toEqual(expectedView(sums(all)));
    } finally {
      await stopCollector(again);
    }
    // What is stored: one row per counter reported, its name and its sum; no id, address or time.
    const raw = await where.raw();
    expect(raw.columns).toEqual(['name', 'total']);
    expect(raw.names.every((k) => (AGGREGATE_COUNTERS as readonly unknown[]).includes(k))).toBe(true);
  }, 120_000);
});
