// Hostile clients against a collector on a real SQLite file and a real PostgreSQL: malformed,
// truncated, oversized and replayed payloads, forged/cross-id/revoked tokens, traversal- and
// injection-looking paths and ids, and 10,000 distinct ids from one address. Every case ends
// with the store checked, and afterAll prints one row per case. One file (over 300 lines) because
// the cases share one started collector per adapter and one printed table; the trust, hygiene
// and retention cases added since live in files of their own on the shared harness.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePayload, encodePayload, encodeShard, PAYLOAD_MAX_BYTES, seededRandom } from '@portrait/core';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASIS_PATH } from './catalogue.ts';
import { type Collector, createCollector } from './collector.ts';
import type { CollectorOptions } from './config.ts';
import { hexId, httpClient, ID, OTHER, payload } from './test-support/abuse-harness.ts';
import { freshDatabase, startPostgres } from './test-support/postgres.ts';
import { issueToken, tokenKeys } from './token.ts';

const SECRET = 'abuse-secret';
const ADMIN = { authorization: 'Bearer abuse-admin' };
// case -> { requests, expected, status summary per adapter }, printed by afterAll.
type Adapter = 'sqlite' | 'postgres';
const summary = new Map<string, { requests: number; expected: string } & Partial<Record<Adapter, string>>>();
const tally = (statuses: number[]) => {
  const n = new Map<number, number>();
  for (const s of statuses) n.set(s, (n.get(s) ?? 0) + 1);
  return [...n].map(([s, k]) => (k > 1 ? `${s}×${k}` : String(s))).join(', ');
};
function record(adapter: Adapter, name: string, expected: string, statuses: number[]) {
  const row = summary.get(name) ?? { requests: statuses.length, expected };
  row[adapter] = tally(statuses);
  summary.set(name, row);
}

let pgServer: Awaited<ReturnType<typeof startPostgres>>;
let tmp = '';
let catalogueDir = '';
beforeAll(async () => {
  pgServer = await startPostgres();
  tmp = await mkdtemp(join(tmpdir(), 'portrait-abuse-'));
  // A one-item catalogue, so the shard route reads files; a `0.bin` sits just outside it as
  // the target of the traversal attempts.
  catalogueDir = join(tmp, 'catalogue');
  await mkdir(join(catalogueDir, 'v1'), { recursive: true });
  const shard = encodeShard([{ id: 'p1', vector: new Float32Array(64).fill(0.5) }], 64);
  await Promise.all([
    copyFile(DEFAULT_BASIS_PATH, join(catalogueDir, 'basis.bin')),
    writeFile(join(catalogueDir, 'compact.bin'), shard),
    writeFile(join(catalogueDir, 'v1', '0.bin'), shard),
    writeFile(join(catalogueDir, 'items.json'), JSON.stringify([{ id: 'p1', title: 'item' }])),
    writeFile(join(tmp, '0.bin'), 'outside the catalogue'),
    writeFile(
      join(catalogueDir, 'manifest.json'),
      JSON.stringify({
        modelId: 'use-lite',
        dim: 256,
        shards: 1,
        version: 'v1',
        basisVersion: 1,
        compactDim: 64,
        items: 1,
        varianceKept: 0.8,
      }),
    ),
  ]);
}, 120_000);
afterAll(async () => {
  pgServer?.stop();
  await rm(tmp, { recursive: true, force: true });
  const rows = [
    ['case', 'requests', 'expected', 'got (sqlite)', 'got (postgres)'],
    ...[...summary].map(([name, r]) => [name, String(r.requests), r.expected, r.sqlite ?? '-', r.postgres ?? '-']),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  console.log(['', 'server abuse cases', line(rows[0] as string[]), rule, ...rows.slice(1).map(line)].join('\n'));
});

describe.each(['sqlite', 'postgres'] as const)('collector under abuse on %s', (adapter) => {
  let collector: Collector;
  let port = 0;
  let dbUrl = '';
  let dbPath = '';
  let n = 0;
  // node:http sends the path exactly as written (fetch would normalise `..` and re-encode).
  const { agent, send, post } = httpClient(() => port);

  async function start(over: Partial<CollectorOptions> = {}) {
    if (adapter === 'postgres') dbUrl = await freshDatabase(pgServer.url);
    else dbPath = join(tmp, `abuse-${n++}.db`);
    collector = createCollector({
      ...(adapter === 'postgres' ? { postgresUrl: dbUrl } : { dbPath }),
      allowedOrigins: '*',
      secret: SECRET,
      adminToken: 'abuse-admin',
      catalogueDir,
      logLevel: 'silent',
      // The limits are cases of their own below; elsewhere they would turn a case's later
      // requests on one id into 429s and hide the status under test.
      idPerMinute: 0,
      ipPerMinute: 0,
      firstSyncPerMinute: 0,
      ...over,
    });
    await collector.ready;
    await new Promise<void>((r) => collector.server.listen(0, '127.0.0.1', r));
    port = (collector.server.address() as AddressInfo).port;
  }
  afterEach(() => collector?.close());
  afterAll(() => agent.destroy());

  const store = async () => (await collector.ready).store;
  const counts = async () => (await store()).counts();

  /** The table names and row counts, read beside the collector's own connection. */
  async function tables(): Promise<Record<string, number>> {
    if (adapter === 'sqlite') {
      const db = new Database(dbPath, { readonly: true });
      try {
        const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
        return Object.fromEntries(
          (names as string[]).map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]),
        );
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      const out: Record<string, number> = {};
      for (const { table_name: t } of rows)
        out[t] = Number((await client.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
      return out;
    } finally {
      await client.end();
    }
  }

  /** Every stored row, read beside the collector's own connection. */
  async function profileRows(): Promise<{ pseudo_id: string; ts: number | string; payload: Buffer }[]> {
    const sql = 'SELECT pseudo_id, ts, payload FROM profiles';
    if (adapter === 'sqlite') {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare(sql).all() as { pseudo_id: string; ts: number; payload: Buffer }[];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      return (await client.query<{ pseudo_id: string; ts: string; payload: Buffer }>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  /** Stores the profile every case starts from, returns its token. */
  async function seed(): Promise<string> {
    const r = await post(encodePayload(payload()));
    expect(r.status).toBe(201);
    return r.json.token as string;
  }

  it('refuses every truncation of a valid payload with 400 and stores nothing', async () => {
    await start();
    const full = encodePayload(payload());
    const statuses: number[] = [];
    for (let len = 0; len < full.length; len++) {
      const r = await post(full.subarray(0, len));
      statuses.push(r.status);
      expect(r.json.code, `${len} bytes`).toMatch(/^payload\/(too-short|size)$/);
    }
    record(adapter, 'truncated payload (every prefix 0-126 B)', '400', statuses);
    expect(statuses.every((s) => s === 400)).toBe(true);
    expect(await counts()).toEqual({ profiles: 0, receipts: 0 });
  });

  it('refuses malformed bodies with 400 and the reason, and stores nothing', async () => {
    await start();
    const valid = encodePayload(payload());
    const patch = (at: number, ...bytes: number[]) => {
      const b = valid.slice();
      b.set(bytes, at);
      return b;
    };
    const cases: [string, Uint8Array, string][] = [
      ['empty body', new Uint8Array(0), 'payload/too-short'],
      ['JSON instead of bytes', new TextEncoder().encode(JSON.stringify({ pseudoId: ID, vectors: [[1, 2]] })), ''],
      ['format 3', patch(0, 3), 'payload/version'],
      ['unknown flag bits', patch(1, 0x80), 'payload/value'],
      ['9 vectors declared', patch(37, 9), 'payload/size'],
      ['a vector of dimension 0', patch(38, 0), 'payload/size'],
      ['NaN scale', patch(41, 0xc0, 0x7f), 'payload/value'],
      ['zero scale', patch(41, 0, 0), 'payload/value'],
      ['negative scale', patch(41, 0x80, 0xbf), 'payload/value'],
      ['another model', encodePayload(payload({ modelHash: 7 })), 'payload/model'],
      ['65 components for a 64-component basis', encodePayload(payload({ vectors: [new Float32Array(65)] })), ''],
    ];
    const statuses: number[] = [];
    for (const [name, body, code] of cases) {
      const r = await post(body);
      statuses.push(r.status);
      expect(r.status, name).toBe(400);
      if (code) expect(r.json.code, name).toBe(code);
      expect(typeof r.json.code, name).toBe('string');
    }
    record(adapter, 'malformed header/values (11 kinds)', '400', statuses);
    expect(await counts()).toEqual({ profiles: 0, receipts: 0 });
  });

  it('never answers 5xx to 400 randomly corrupted payloads, and every stored row still decodes', async () => {
    await start();
    const token = await seed();
    const rand = seededRandom(99);
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) {
      const b = encodePayload(
        payload({ timestamp: 1_780_000_001 + i, idempotencyKey: (i + 1).toString(16).padStart(16, '0') }),
      );
      for (let f = 0; f < 1 + Math.floor(rand() * 4); f++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      statuses.push((await post(b, i % 2 ? token : undefined)).status);
    }
    record(adapter, 'random byte corruption (seeded, 1-4 bytes)', '2xx/400/401/403, no 5xx', statuses);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => [200, 201, 400, 401, 403].includes(s))).toBe(true);
    // The corruption hits the vector bytes often enough that some are stored; all must decode.
    expect(statuses.some((s) => s === 400) && statuses.some((s) => s < 300)).toBe(true);
    const rows = await profileRows();
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      const d = decodePayload(new Uint8Array(row.payload));
      expect(d.ok && d.payload.pseudoId === row.pseudo_id && d.payload.timestamp === Number(row.ts)).toBe(true);
    }
  });

  it('refuses oversized bodies with 413 (sized, chunked, declared) but judges a max-size body on its content', async () => {
    await start();
    const statuses: number[] = [];
    const big = (await post(new Uint8Array(1_000_000))).status;
    const over = (await post(new Uint8Array(PAYLOAD_MAX_BYTES + 1))).status;
    // No content-length: the limit is enforced on the bytes as they stream in.
    const chunked = (await send('POST', '/v1/profile', new Uint8Array(100_000), { 'transfer-encoding': 'chunked' }))
      .status;
    const declared = (
      await send('POST', '/v1/profile', new Uint8Array(10), { 'content-length': String(PAYLOAD_MAX_BYTES + 1) }).catch(
        () => ({ status: 0 }),
      )
    ).status;
    // 8 vectors of 255 components: exactly the largest body the codec allows, refused for its
    // content (more components than the basis), not for its size.
    const max = encodePayload(payload({ vectors: Array.from({ length: 8 }, () => new Float32Array(255).fill(0.1)) }));
    expect(max.length).toBe(PAYLOAD_MAX_BYTES);
    const atMax = await post(max);
    statuses.push(big, over, chunked, declared);
    record(adapter, 'oversized body (1 MB, max+1 B, chunked 100 kB, declared)', '413', statuses);
    record(adapter, 'body of exactly the maximum size', '400 payload/dimension', [atMax.status]);
    expect([big, over, chunked]).toEqual([413, 413, 413]);
    // A content-length past the limit is refused before the body is read; the server may close
    // the socket while the short body is still on its way, which is also a refusal.
    expect([413, 0]).toContain(declared);
    expect(atMax.status).toBe(400);
    expect(atMax.json.code).toBe('payload/dimension');
    expect(await counts()).toEqual({ profiles: 0, receipts: 0 });
  });

  it('stores nothing from a body cut off mid-stream, and keeps serving', async () => {
    await start();
    const valid = encodePayload(payload());
    // Declares 127 bytes, sends 60, then the client goes away.
    const answer = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write(`POST /v1/profile HTTP/1.1\r\nhost: x\r\ncontent-length: ${valid.length}\r\n\r\n`);
        s.write(valid.subarray(0, 60));
        setTimeout(() => s.end(), 50);
      });
      let got = '';
      s.on('data', (b) => {
        got += b.toString();
      });
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    const after = await post(valid);
    record(adapter, 'body shorter than its content-length, then EOF', '400 or closed, nothing stored', [
      Number(answer.slice(9, 12)) || 0,
    ]);
    expect(answer === '' || answer.startsWith('HTTP/1.1 400 ')).toBe(true);
    // The handler saw an abort, a client error: nothing counted as a server failure.
    let profileStatuses = '';
    for (let i = 0; i < 40 && !profileStatuses.includes('400'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      profileStatuses =
        (await send('GET', '/v1/metrics', undefined, ADMIN)).text
          .match(/route="\/v1\/profile",status="\d+"/g)
          ?.join() ?? '';
    }
    expect(profileStatuses).toContain('status="400"');
    expect(profileStatuses).not.toMatch(/status="5/);
    // Nothing of the cut body was stored: the complete one is the id's first sync.
    expect(after.status).toBe(201);
    expect(await counts()).toEqual({ profiles: 1, receipts: 1 });
  });

  it('applies a replayed idempotency key once, and never lets an older payload overwrite a newer one', async () => {
    await start();
    const first = encodePayload(payload({ timestamp: 1_780_000_200 }));
    const token = await (async () => {
      const r = await post(first);
      expect(r.status).toBe(201);
      return r.json.token as string;
    })();
    const replays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post(first, token);
      replays.push(r.status);
      expect(r.json).toMatchObject({ outcome: 'duplicate', duplicate: true });
    }
    // The same key with a different, newer body is still the same sync: applied once.
    const sameKey = await post(
      encodePayload(payload({ timestamp: 1_780_000_900, vectors: [new Float32Array(64).fill(0.25)] })),
      token,
    );
    expect(sameKey.json.outcome).toBe('duplicate');
    const older = await post(
      encodePayload(payload({ timestamp: 1_780_000_100, idempotencyKey: '22'.repeat(8) })),
      token,
    );
    expect(older.json.outcome).toBe('stale');
    // A first sync (no token) replayed under a new key once the id exists: refused.
    const noToken = await post(encodePayload(payload({ timestamp: 1_780_000_300, idempotencyKey: '33'.repeat(8) })));
    expect(noToken.status).toBe(401);
    record(adapter, 'replay of one idempotency key ×5', '200 duplicate', replays);
    record(adapter, 'same key, different newer body', '200 duplicate', [sameKey.status]);
    record(adapter, 'older payload after a newer one', '200 stale', [older.status]);
    record(adapter, 'tokenless sync for an existing id', '401', [noToken.status]);
    expect([...replays, sameKey.status, older.status]).toEqual([200, 200, 200, 200, 200, 200, 200]);
    const row = await (await store()).get(ID);
    expect(row?.timestamp).toBe(1_780_000_200);
    expect(Buffer.from(row?.payload ?? []).equals(Buffer.from(first))).toBe(true);
    // Receipts: the first sync and the stale one (its key is spent too); replays added none.
    expect(await counts()).toEqual({ profiles: 1, receipts: 2 });
  });

  it('refuses forged, cross-id and revoked tokens on every route, and the profile is untouched', async () => {
    await start();
    const token = await seed();
    const other = await post(encodePayload(payload({ pseudoId: OTHER })));
    const otherToken = other.json.token as string;
    const before = await (await store()).get(ID);
    const update = (t: string | undefined, query = '') =>
      post(encodePayload(payload({ timestamp: 1_780_000_500, idempotencyKey: '99'.repeat(8) })), t, query);
    const del = (t: string) => send('DELETE', `/v1/profile/${ID}`, undefined, { authorization: `Bearer ${t}` });
    const rec = (t: string) => send('GET', `/v1/recommendations?id=${ID}`, undefined, { authorization: `Bearer ${t}` });
    // A key removed from the set revokes every token it signed (expiry has cases of its own).
    const revoked = issueToken(tokenKeys('a rotated-out secret'), ID, Date.now() + 60_000);
    const forged = [
      'A'.repeat(43),
      token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
      `${token}=`,
      'x'.repeat(10_000),
      "' OR '1'='1",
    ];
    const groups: [string, string[], string][] = [
      ['forged token (5 shapes) × upsert, erase, recommendations', forged, 'forged'],
      ["another id's token (cross-id) × 3 routes", [otherToken], 'cross-id'],
      ['token of a key removed from the set × 3 routes', [revoked], 'revoked'],
    ];
    for (const [name, list] of groups) {
      const statuses: number[] = [];
      for (const t of list) {
        for (const r of [await update(t), await del(t), await rec(t)]) {
          statuses.push(r.status);
          expect(r.json.code, `${name}: ${t.slice(0, 12)}`).toBe('token/forged');
        }
      }
      record(adapter, name, '403', statuses);
      expect(statuses.every((s) => s === 403)).toBe(true);
    }
    // A token in the URL is not read at all: the id's owner must show one in the header.
    const viaQuery = await update(undefined, `?token=${encodeURIComponent(otherToken)}`);
    // A forged token cannot claim a brand-new id either.
    const fresh = await post(encodePayload(payload({ pseudoId: 'cc'.repeat(16) })), 'A'.repeat(43));
    // HTTP strips the trailing space, so `Bearer ` is no token at all: the id's owner must show one.
    const blank = await send('POST', '/v1/profile', encodePayload(payload({ idempotencyKey: '98'.repeat(8) })), {
      authorization: 'Bearer ',
    });
    record(adapter, 'cross-id token in ?token= (ignored)', '401', [viaQuery.status]);
    record(adapter, 'forged token on a new id', '403', [fresh.status]);
    record(adapter, 'empty bearer token', '401', [blank.status]);
    expect([viaQuery.status, fresh.status, blank.status]).toEqual([401, 403, 401]);
    const after = await (await store()).get(ID);
    expect(after?.timestamp).toBe(before?.timestamp);
    expect(Buffer.from(after?.payload ?? []).equals(Buffer.from(before?.payload ?? []))).toBe(true);
    expect(await (await store()).exists('cc'.repeat(16))).toBe(false);
    // The owner's token still works: the refusals above were about the tokens.
    const own = await update(token);
    record(adapter, "owner's token (control)", '201', [own.status]);
    expect(own.status).toBe(201);
  });

  it("refuses a flood of forged tokens before the id's rate limit, so the owner's budget is not spent", async () => {
    await start({ idPerMinute: 30 });
    const token = await seed();
    const update = (t: string, n: number) =>
      post(encodePayload(payload({ timestamp: 1_780_000_000 + n, idempotencyKey: hexId(n).slice(16) })), t);
    const statuses: number[] = [];
    for (let n = 1; n <= 50; n++) statuses.push((await update('A'.repeat(43), n)).status);
    const own = await update(token, 51);
    record(adapter, 'forged-token flood on a known id, then its owner', '403×50, 201', [...statuses, own.status]);
    expect(statuses.every((st) => st === 403)).toBe(true);
    expect(own.status).toBe(201);
  });

  it('answers traversal-, NUL- and SQL-injection-looking ids with a clean 4xx and the tables intact', async () => {
    await start();
    const token = await seed();
    const before = await tables();
    expect(Object.keys(before)).toEqual(['aggregates', 'profiles', 'receipts']);
    const auth = { authorization: `Bearer ${token}` };
    const ids = [
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%252F..%252Fetc%252Fpasswd',
      '..%5C..%5Cwindows%5Cwin.ini',
      `${ID}%00`,
      `${ID}%00.json`,
      `${ID}%2F..%2F${OTHER}`,
      `${ID}%0A`,
      ID.toUpperCase(),
      "1'%20OR%20'1'%3D'1",
      "1'%20OR%20'1'%3D'1'--",
      '%3B%20DROP%20TABLE%20profiles%3B--',
      "aa'%3B%20DELETE%20FROM%20receipts%3B--",
      '%27%29%3B%20DROP%20TABLE%20receipts%3B--',
    ];
    const statuses: number[] = [];
    for (const id of ids) {
      for (const r of [
        await send('DELETE', `/v1/profile/${id}`, undefined, auth),
        await send('GET', `/v1/recommendations?id=${id}&k=5`, undefined, auth),
      ]) {
        statuses.push(r.status);
        expect(r.status, id).toBe(400);
        expect(r.json.code, id).toBe('bad-id');
      }
    }
    record(adapter, 'traversal/NUL/SQL ids × erase, recommendations (14 ids)', '400 bad-id', statuses);

    // Paths no route matches, or whose parameters are checked before any file is opened; a
    // `0.bin` one level above the catalogue is the prize.
    const paths: [string, string, number][] = [
      ['GET', '/v1/profile/..%2F..%2Fetc%2Fpasswd', 404],
      ['POST', '/v1/profile/..%2F..%2Fetc%2Fpasswd', 404],
      ['GET', '/v1/profile/../../etc/passwd', 404],
      ['DELETE', '/v1/profile/../../etc/passwd', 404],
      ['GET', '/v1/catalogue-vectors/..%2F..%2F..%2Fetc%2Fpasswd', 404],
      ['GET', '/v1/catalogue-vectors/..%2F/0.bin', 404],
      ['GET', '/v1/catalogue-vectors/../0.bin', 404],
      ['GET', '/v1/catalogue-vectors/v1%2F../0.bin', 404],
      ['GET', '/v1/catalogue-vectors/v1/0.bin%00', 404],
      ['GET', '/v1/catalogue-vectors/v1/..%2F0.bin', 404],
      ['GET', `/v1/catalogue-vectors/1'%20OR%20'1'%3D'1`, 404],
    ];
    const pathStatuses: number[] = [];
    for (const [method, path, want] of paths) {
      const r = await send(method, path, undefined, auth);
      pathStatuses.push(r.status);
      expect(r.status, `${method} ${path}`).toBe(want);
      expect(JSON.stringify(r.json)).not.toContain('outside the catalogue');
    }
    record(adapter, 'traversal paths (profile, catalogue shards; 11)', '404', pathStatuses);
    // The real shard still serves: the 404s are the checks, not a broken route.
    const shard = await send('GET', '/v1/catalogue-vectors/v1/0.bin');
    record(adapter, 'catalogue shard (control)', '200', [shard.status]);
    expect(shard.status).toBe(200);

    // An injection-looking token on a valid id is just a wrong token.
    const q = await send('GET', `/v1/recommendations?id=${ID}&token=${encodeURIComponent("' OR 1=1--")}`);
    record(adapter, 'SQL-looking ?token= (ignored)', '401', [q.status]);
    expect(q.status).toBe(401);

    expect(await tables()).toEqual(before);
    expect((await (await store()).get(ID))?.pseudoId).toBe(ID);
  });

  it('holds the per-IP limit against 10,000 distinct ids from one address, with bounded limiter memory', async () => {
    // Undefined, as the CLI passes limits without their flags: the defaults (600 requests and
    // 60 first syncs per address per minute, 30 per id) must apply, not vanish.
    await start({ ipPerMinute: undefined, idPerMinute: undefined, firstSyncPerMinute: undefined });
    const started = Date.now();
    const statuses = new Array<number>(10_000);
    let retryAfterMissing = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < 10_000; i = next++) {
          const r = await post(
            encodePayload(payload({ pseudoId: hexId(i + 1), idempotencyKey: hexId(i + 1).slice(16) })),
          );
          statuses[i] = r.status;
          if (r.status === 429 && r.headers['retry-after'] === undefined) retryAfterMissing++;
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const accepted = statuses.filter((s) => s === 201).length;
    const limited = statuses.filter((s) => s === 429).length;
    record(adapter, '10,000 distinct ids, one IP (60 first syncs/min)', `201×60(+refill), 429×rest`, statuses);
    expect(accepted + limited).toBe(10_000);
    // Every one is a first sync: that bucket holds 60 and refills 1 per second while the flood lasts.
    expect(accepted).toBeGreaterThanOrEqual(60);
    expect(accepted).toBeLessThanOrEqual(60 + Math.ceil(seconds) + 1);
    expect(limited).toBeGreaterThanOrEqual(10_000 - 60 - Math.ceil(seconds) - 1);
    expect(retryAfterMissing).toBe(0);
    expect((await counts()).profiles).toBe(accepted);
    // The flood spent this address's bucket: wait for one token (10 per second) to read metrics.
    await new Promise((r) => setTimeout(r, 300));
    const m = await send('GET', '/v1/metrics', undefined, ADMIN);
    expect(m.status).toBe(200);
    const metrics = m.text;
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
    expect(gauge('portrait_rate_limit_ip_keys')).toBe(1);
    expect(gauge('portrait_rate_limit_id_keys')).toBeLessThanOrEqual(accepted);
  }, 60_000);

  it('behind a proxy (no per-IP limit), 10,000 ids stay within the id limiter’s capacity and a hot id stays limited', async () => {
    await start({ idPerMinute: 30, rateLimitKeys: 1_000 });
    const started = Date.now();
    const statuses: number[] = [];
    const hot: number[] = [];
    let hotToken: string | undefined;
    let most = 0;
    const metrics = async () => {
      const m = (await send('GET', '/v1/metrics', undefined, ADMIN)).text;
      return Number(/^portrait_rate_limit_id_keys (\d+)$/m.exec(m)?.[1] ?? Number.NaN);
    };
    for (let batch = 0; batch < 100; batch++) {
      // 100 new ids at a time, 16 in flight, then the hot id asks again (well within capacity).
      const ids = Array.from({ length: 100 }, (_, k) => hexId(batch * 100 + k + 1));
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let k = w; k < ids.length; k += 16) {
            const id = ids[k] as string;
            statuses.push((await post(encodePayload(payload({ pseudoId: id, idempotencyKey: id.slice(16) })))).status);
          }
        }),
      );
      const r = await post(
        encodePayload(
          payload({
            pseudoId: 'dd'.repeat(16),
            timestamp: 1_780_000_000 + batch,
            idempotencyKey: hexId(batch + 1).slice(16),
          }),
        ),
        hotToken,
      );
      hotToken ??= r.json.token as string;
      hot.push(r.status);
      if (batch % 10 === 9) most = Math.max(most, await metrics());
    }
    record(adapter, '10,000 ids behind a proxy, id limiter of 1,000 keys', '201×10000', statuses);
    record(adapter, 'hot id among them (5 burst, 30/min)', '201×5(+refill), 429×rest', hot);
    expect(statuses.filter((s) => s === 201).length).toBe(10_000);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(1_000);
    expect(await metrics()).toBeLessThanOrEqual(1_000);
    // 5 at once, then one more every 2 s: the flood of other ids never reset the hot id's bucket.
    const hotAccepted = hot.filter((s) => s === 201).length;
    expect(hotAccepted).toBeGreaterThanOrEqual(5);
    expect(hotAccepted).toBeLessThanOrEqual(5 + Math.ceil((Date.now() - started) / 2_000) + 1);
    expect(hot.filter((s) => s === 429).length).toBe(100 - hotAccepted);
  }, 90_000);
});
