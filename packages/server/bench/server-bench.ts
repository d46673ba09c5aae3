// `pnpm --filter @portrait/server bench`: payload size against raw events, basis variance kept,
// and, with autocannon against a collector process on loopback, upserts/s and p99 on SQLite and
// PostgreSQL and recommendations/s on the 3,659-item retail catalogue. Prints a table and writes
// bench-results/server.json. Numbers, not pass/fail: the goals live in the issue.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_LAYOUT,
  decodeBasisFile,
  encodePayload,
  fnv1a32,
  type PortraitEvent,
  RISK_UNKNOWN,
} from '@portrait/core';
import { SEED_PRODUCTS } from '@portrait/fixtures/seed-products';
import autocannon from 'autocannon';
import { DEFAULT_BASIS_PATH } from '../src/catalogue.ts';
import { importCatalogue } from '../src/catalogue-import.ts';
import { freshDatabase, startPostgres } from '../src/test-support/postgres.ts';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const repo = resolve(pkg, '../..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
const ITEMS = resolve(repo, '../shared/datasets/online-retail-dev/items.jsonl');

function collector(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main.ts',
      'serve',
      '--port',
      '0',
      '--origin',
      'https://shop.example',
      '--ip-per-minute',
      '0',
      '--id-per-minute',
      '0',
      '--first-sync-per-minute',
      '0',
      ...args,
    ],
    { cwd: pkg, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORTRAIT_SECRET: 'bench-secret' } },
  );
  return new Promise((ok, fail) => {
    let out = '';
    const on = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) ok({ child, url: m[1] as string });
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (c) => fail(new Error(`collector exited ${c}: ${out}`)));
  });
}

const stop = (c: ChildProcess) =>
  new Promise<void>((r) => {
    c.removeAllListeners('exit');
    c.once('exit', () => r());
    c.kill('SIGTERM');
  });

let seq = 0;
const upsertBody = (basisVersion: number) =>
  Buffer.from(
    encodePayload({
      flags: 0,
      modelHash: fnv1a32('use-lite'),
      basisVersion,
      pseudoId: (++seq).toString(16).padStart(8, '0') + process.pid.toString(16).padStart(24, '0'),
      timestamp: 1_780_000_000 + seq,
      idempotencyKey: seq.toString(16).padStart(16, '0'),
      risk: RISK_UNKNOWN,
      vectors: [64, 8, 8].map((d) => Float32Array.from({ length: d }, (_, k) => Math.sin(seq + k))),
      segments: [],
    }),
  );

async function upserts(url: string) {
  // Every request is a new device's first sync: no token needed, and no replay is a duplicate.
  const r = await autocannon({
    url: `${url}/v1/profile`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        setupRequest: (req) => ({ ...req, body: upsertBody(1) }),
      },
    ],
  });
  return {
    upsertsPerSec: r.requests.average,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.non2xx + r.timeouts,
    total: r.requests.total,
  };
}

// A typical session as raw events (what a conventional tracker would ship): product views
// with dwell, a search, list impressions, an add-to-cart, on the demo catalogue.
function typicalSession(): PortraitEvent[] {
  const events: PortraitEvent[] = [];
  let ts = 1_780_000_000_000;
  const product = (i: number) => {
    const p = SEED_PRODUCTS[i % SEED_PRODUCTS.length];
    return p && { id: p.id, title: p.title, category: p.category, brand: p.brand, price: p.price };
  };
  events.push({ id: 'e-search', type: 'search', ts, query: 'trail running shoes' } as PortraitEvent);
  for (let i = 0; i < 24; i++) {
    ts += 15_000;
    events.push({ id: `e-imp-${i}`, type: 'impression', ts, product: product(i) } as PortraitEvent);
  }
  for (let i = 0; i < 10; i++) {
    ts += 40_000;
    events.push({ id: `e-view-${i}`, type: 'view', ts, product: product(i * 3) } as PortraitEvent);
    events.push({
      id: `e-dwell-${i}`,
      type: 'dwell',
      ts: ts + 30_000,
      product: product(i * 3),
      dwellMs: 30_000,
    } as PortraitEvent);
  }
  events.push({
    id: 'e-cart',
    type: 'add_to_cart',
    ts: ts + 60_000,
    product: product(0),
    quantity: 1,
  } as PortraitEvent);
  return events;
}

async function main() {
  const results: Record<string, unknown> = {};
  const rows: [string, string][] = [];

  // Payload against the raw events it summarises.
  const basisFile = decodeBasisFile(new Uint8Array(readFileSync(DEFAULT_BASIS_PATH)));
  if (!basisFile.ok) throw new Error(basisFile.message);
  const session = typicalSession();
  const rawBytes = Buffer.byteLength(JSON.stringify(session));
  const payload = upsertBody(1).length;
  results.payload = {
    bytes: payload,
    layout: DEFAULT_LAYOUT,
    sessionEvents: session.length,
    rawEventBytes: rawBytes,
    ratio: rawBytes / payload,
  };
  rows.push(['payload bytes (default layout 64/8/8)', String(payload)]);
  rows.push([`raw events of a typical session (${session.length} events, JSON)`, String(rawBytes)]);
  rows.push(['ratio raw / payload', `${(rawBytes / payload).toFixed(1)}x`]);
  rows.push(['default basis variance kept (retail, 64 comp.)', `${(basisFile.file.varianceKept * 100).toFixed(1)} %`]);

  // Upserts on SQLite (a real file in WAL mode) and on PostgreSQL.
  const dir = mkdtempSync(join(tmpdir(), 'portrait-bench-'));
  const pg = await startPostgres();
  try {
    const sqlite = await collector(['--db', join(dir, 'bench.db')]);
    results.sqlite = await upserts(sqlite.url);
    await stop(sqlite.child);
    const pgc = await collector(['--postgres', await freshDatabase(pg.url)]);
    results.postgres = await upserts(pgc.url);
    await stop(pgc.child);
    for (const k of ['sqlite', 'postgres'] as const) {
      const r = results[k] as { upsertsPerSec: number; p99Ms: number; non2xx: number; errors: number };
      rows.push([`${k} upserts/s (${CONNECTIONS} conns, ${DURATION} s)`, r.upsertsPerSec.toFixed(0)]);
      rows.push([`${k} upsert p99`, `${r.p99Ms} ms`]);
      rows.push([`${k} non-2xx / errors`, `${r.non2xx} / ${r.errors}`]);
    }

    // Recommendations on the retail catalogue, imported with the real model.
    if (existsSync(ITEMS)) {
      const cat = join(dir, 'catalogue');
      const m = await importCatalogue({ itemsPath: ITEMS, outDir: cat });
      results.catalogue = { items: m.items, varianceKept: m.varianceKept, basisVersion: m.basisVersion };
      rows.push([`imported basis variance kept (${m.items} items)`, `${(m.varianceKept * 100).toFixed(1)} %`]);
      const srv = await collector(['--db', join(dir, 'rec.db'), '--catalogue', cat]);
      const body = Buffer.from(
        encodePayload({
          flags: 0,
          modelHash: fnv1a32('use-lite'),
          basisVersion: m.basisVersion,
          pseudoId: 'ab'.repeat(16),
          timestamp: 1_780_000_000,
          idempotencyKey: 'cd'.repeat(8),
          risk: RISK_UNKNOWN,
          vectors: [64, 8, 8].map((d) => Float32Array.from({ length: d }, (_, k) => Math.cos(k))),
          segments: [],
        }),
      );
      const res = await fetch(`${srv.url}/v1/profile`, { method: 'POST', body });
      const { token } = (await res.json()) as { token: string };
      const r = await autocannon({
        url: `${srv.url}/v1/recommendations?id=${'ab'.repeat(16)}&k=10`,
        connections: 8,
        duration: DURATION,
        headers: { authorization: `Bearer ${token}` },
      });
      await stop(srv.child);
      results.recommendations = {
        perSec: r.requests.average,
        p99Ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      };
      rows.push([`recommendations/s (${m.items} items, k=10)`, r.requests.average.toFixed(0)]);
      rows.push(['recommendations p99 / non-2xx', `${r.latency.p99} ms / ${r.non2xx}`]);
    } else {
      rows.push(['recommendations', `skipped: ${ITEMS} not found`]);
    }
  } finally {
    pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${'metric'.padEnd(width)}  value\n${'-'.repeat(width)}  -----`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const out = join(repo, 'bench-results');
  mkdirSync(out, { recursive: true });
  const at = new Date().toISOString();
  const errors = ['sqlite', 'postgres', 'recommendations'].reduce(
    (n, k) => n + ((results[k] as { errors?: number } | undefined)?.errors ?? 0),
    0,
  );
  writeFileSync(join(out, 'server.json'), JSON.stringify({ at, errors, ...results }, null, 2));
  // The sync section of `pnpm bench` (payload size and ratio) reads its own file.
  const p = results.payload as { bytes: number; ratio: number; rawEventBytes: number; sessionEvents: number };
  writeFileSync(
    join(out, 'sync.json'),
    JSON.stringify(
      {
        at,
        payloadBytes: p.bytes,
        rawToPayloadRatio: p.ratio,
        rawEventBytes: p.rawEventBytes,
        sessionEvents: p.sessionEvents,
        varianceKept: basisFile.file.varianceKept,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${join(out, 'server.json')} and sync.json`);
}

await main();
