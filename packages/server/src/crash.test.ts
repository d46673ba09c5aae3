// kill -9 the collector process during a stream of upserts; after a restart every upsert it
// acknowledged must be there (both adapters).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePayload, fnv1a32, RISK_UNKNOWN } from '@portrait/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from './store/postgres-store.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { ProfileStore } from './store/types.ts';
import { startCollector, stopCollector } from './test-support/collector-process.ts';
import { freshDatabase, startPostgres } from './test-support/postgres.ts';

const body = (i: number) =>
  encodePayload({
    flags: 0,
    modelHash: fnv1a32('use-lite'),
    basisVersion: 1,
    pseudoId: i.toString(16).padStart(32, '0'),
    timestamp: 1_780_000_000 + i,
    idempotencyKey: i.toString(16).padStart(16, '0'),
    risk: RISK_UNKNOWN,
    vectors: [Float32Array.from({ length: 64 }, (_, k) => Math.sin(i + k))],
    segments: [],
  });

async function crashDuringStream(args: string[], open: () => Promise<ProfileStore>) {
  const prod = ['--origin', 'https://shop.example'];
  const env = { PORTRAIT_SECRET: 'crash-secret' };
  const first = await startCollector(
    [...args, ...prod, '--ip-per-minute', '0', '--first-sync-per-minute', '0'],
    0,
    env,
  );
  const { url } = first;
  const acked: number[] = [];
  let next = 0;
  let stop = false;
  // 8 concurrent writers; the process is killed while they are mid-flight.
  const writers = Array.from({ length: 8 }, async () => {
    while (!stop) {
      const i = next++;
      try {
        const r = await fetch(`${url}/v1/profile`, { method: 'POST', body: body(i) });
        if (r.status === 201) acked.push(i);
      } catch {
        // The connection died with the process: not acknowledged, so not promised.
      }
    }
  });
  while (acked.length < 300) await new Promise((r) => setTimeout(r, 20));
  await stopCollector(first, 'SIGKILL');
  stop = true;
  await Promise.all(writers);
  expect(acked.length).toBeGreaterThanOrEqual(300);
  console.log(`${args[0]}: ${acked.length} upserts acknowledged, ${next} started, before kill -9`);

  // Restart on the same storage: it comes up and every acknowledged upsert is there.
  const again = await startCollector([...args, ...prod], 0, env);
  try {
    expect((await fetch(`${again.url}/v1/health`)).status).toBe(200);
    const store = await open();
    try {
      const missing: number[] = [];
      for (const i of acked) {
        const row = await store.get(i.toString(16).padStart(32, '0'));
        if (row?.timestamp !== 1_780_000_000 + i) missing.push(i);
      }
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  } finally {
    await stopCollector(again);
  }
  return acked.length;
}

describe('kill -9 during a stream of upserts', () => {
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let dir = '';
  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'portrait-crash-'));
  }, 60_000);
  afterAll(() => {
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite keeps every acknowledged upsert', async () => {
    const db = join(dir, 'c.db');
    await crashDuringStream(['--db', db], async () => openSqliteStore(db));
  }, 90_000);

  it('PostgreSQL keeps every acknowledged upsert', async () => {
    const url = await freshDatabase(pg.url);
    await crashDuringStream(['--postgres', url], () => openPostgresStore(url));
  }, 90_000);
});
