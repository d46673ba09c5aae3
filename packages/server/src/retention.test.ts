// Retention: profiles, receipts and tombstones last written longer ago than the retention
// period are deleted, by the store's sweep and by the collector's periodic run of it, on a
// real SQLite file and a real PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePayload } from '@portrait/core';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, createCollector } from './collector.ts';
import { openPostgresStore } from './store/postgres-store.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { ProfileStore } from './store/types.ts';
import { type Adapter, createSummary, hexId, httpClient, ID, payload } from './test-support/abuse-harness.ts';
import { freshDatabase, startPostgres } from './test-support/postgres.ts';

const DAY = 86_400_000;
const summary = createSummary('server retention cases');
let pgServer: Awaited<ReturnType<typeof startPostgres>>;
let tmp = '';
beforeAll(async () => {
  pgServer = await startPostgres();
  tmp = await mkdtemp(join(tmpdir(), 'portrait-retention-'));
}, 120_000);
afterAll(async () => {
  pgServer?.stop();
  await rm(tmp, { recursive: true, force: true });
  summary.print();
});

describe.each(['sqlite', 'postgres'] as const)('retention on %s', (adapter: Adapter) => {
  let n = 0;
  let location = '';
  let collector: Collector | undefined;
  let port = 0;
  const { agent, post, erase } = httpClient(() => port);
  afterEach(() => collector?.close());
  afterAll(() => agent.destroy());

  async function open(): Promise<ProfileStore> {
    if (adapter === 'postgres') {
      location = await freshDatabase(pgServer.url);
      return openPostgresStore(location);
    }
    location = join(tmp, `retention-${n++}.db`);
    return openSqliteStore(location);
  }

  /** Row counts of every table, tombstones included, read beside the store's own connection. */
  async function rows(): Promise<Record<string, number>> {
    const sql = {
      profiles: 'SELECT count(*) AS n FROM profiles',
      receipts: 'SELECT count(*) AS n FROM receipts',
      tombstones: 'SELECT count(*) AS n FROM profiles WHERE erased = true',
    };
    if (adapter === 'sqlite') {
      const db = new Database(location, { readonly: true });
      try {
        return Object.fromEntries(
          Object.entries(sql).map(([k, q]) => [k, (db.prepare(q.replace('true', '1')).get() as { n: number }).n]),
        );
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      const out: Record<string, number> = {};
      for (const [k, q] of Object.entries(sql)) out[k] = Number((await client.query(q)).rows[0].n);
      return out;
    } finally {
      await client.end();
    }
  }

  it('sweeps what was last written before the cutoff, tombstones and receipts included', async () => {
    const store = await open();
    try {
      const now = Date.now();
      const row = (id: string, receivedAt: number) => ({
        pseudoId: id,
        timestamp: 1_780_000_000,
        receivedAt,
        payload: encodePayload(payload({ pseudoId: id })),
      });
      expect(await store.save(row(hexId(1), now - 100 * DAY), 'k1', true)).toBe('stored');
      expect(await store.save(row(hexId(2), now - DAY), 'k2', true)).toBe('stored');
      expect(await store.save(row(hexId(3), now - DAY), 'k3', true)).toBe('stored');
      await store.erase(hexId(3));
      expect(await rows()).toEqual({ profiles: 3, receipts: 2, tombstones: 1 });
      expect(await store.sweep(now - 90 * DAY)).toEqual({ profiles: 1, receipts: 1 });
      expect(await rows()).toEqual({ profiles: 2, receipts: 1, tombstones: 1 });
      expect(await store.exists(hexId(1))).toBe(false);
      expect(await store.exists(hexId(2))).toBe(true);
      // The erased id's tombstone holds until its own period ends, then goes too.
      expect(await store.save(row(hexId(3), now), 'k4', true)).toBe('erased');
      expect(await store.sweep(Date.now() + 1)).toEqual({ profiles: 2, receipts: 1 });
      expect(await rows()).toEqual({ profiles: 0, receipts: 0, tombstones: 0 });
    } finally {
      await store.close();
    }
  });

  it('the collector runs the sweep on its own, every sweep interval', async () => {
    if (adapter === 'postgres') location = await freshDatabase(pgServer.url);
    else location = join(tmp, `retention-${n++}.db`);
    // One second of retention, swept every 100 ms.
    collector = createCollector({
      ...(adapter === 'postgres' ? { postgresUrl: location } : { dbPath: location }),
      allowedOrigins: '*',
      secret: 'retention-secret',
      logLevel: 'silent',
      firstSyncPerMinute: 0,
      retentionDays: 1 / 86_400,
      sweepIntervalMs: 100,
    });
    await collector.ready;
    await new Promise<void>((r) => collector?.server.listen(0, '127.0.0.1', r));
    port = (collector.server.address() as AddressInfo).port;
    const first = await post(encodePayload(payload()));
    const other = await post(encodePayload(payload({ pseudoId: hexId(5) })));
    const gone = await erase(hexId(5), other.json.token as string);
    expect([first.status, other.status, gone.status]).toEqual([201, 201, 204]);
    expect(await rows()).toEqual({ profiles: 2, receipts: 1, tombstones: 1 });
    let after: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await rows();
      if (after.profiles === 0) break;
    }
    summary.record(adapter, 'profile, receipt, tombstone after 1 s retention (swept every 100 ms)', '0×3 rows left', [
      after.profiles ?? -1,
      after.receipts ?? -1,
      after.tombstones ?? -1,
    ]);
    expect(after).toEqual({ profiles: 0, receipts: 0, tombstones: 0 });
    // Once the tombstone has expired the id is unknown again: a first sync may claim it.
    const again = await post(encodePayload(payload({ pseudoId: hexId(5), idempotencyKey: '77'.repeat(8) })));
    expect((await (await collector.ready).store.get(ID))?.pseudoId).toBeUndefined();
    expect(again.status).toBe(201);
  }, 20_000);
});
