// Shared by the hostile-client test files: a payload factory, a raw node:http client (it sends
// paths exactly as written), the summary table each file prints after its cases, and the
// options and start-up of a collector under test.
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fnv1a32, type Payload, RISK_UNKNOWN } from '@portrait/core';
import { afterAll, beforeAll } from 'vitest';
import type { Collector } from '../collector.ts';
import type { CollectorOptions } from '../config.ts';
import { freshDatabase, startPostgres } from './postgres.ts';

export const ID = 'aa'.repeat(16);
export const OTHER = 'bb'.repeat(16);
export const hexId = (n: number) => n.toString(16).padStart(32, '0');

export const payload = (over: Partial<Payload> = {}): Payload => ({
  flags: 0,
  modelHash: fnv1a32('use-lite'),
  basisVersion: 1,
  pseudoId: ID,
  timestamp: 1_780_000_000,
  idempotencyKey: '11'.repeat(8),
  risk: RISK_UNKNOWN,
  vectors: [64, 8, 8].map((d, v) => Float32Array.from({ length: d }, (_, k) => Math.sin(v * 100 + k))),
  segments: [],
  ...over,
});

export type Adapter = 'sqlite' | 'postgres';

/** case -> { requests, expected, status summary per adapter }, printed by `print`. */
export function createSummary(title: string) {
  const rows = new Map<string, { requests: number; expected: string } & Partial<Record<Adapter, string>>>();
  const tally = (statuses: number[]) => {
    const n = new Map<number, number>();
    for (const s of statuses) n.set(s, (n.get(s) ?? 0) + 1);
    return [...n].map(([s, k]) => (k > 1 ? `${s}×${k}` : String(s))).join(', ');
  };
  return {
    record(adapter: Adapter, name: string, expected: string, statuses: number[]) {
      const row = rows.get(name) ?? { requests: statuses.length, expected };
      row[adapter] = tally(statuses);
      rows.set(name, row);
    },
    print() {
      const table = [
        ['case', 'requests', 'expected', 'got (sqlite)', 'got (postgres)'],
        ...[...rows].map(([name, r]) => [name, String(r.requests), r.expected, r.sqlite ?? '-', r.postgres ?? '-']),
      ];
      const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] as string).length))) ?? [];
      const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
      const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
      console.log(['', title, line(table[0] as string[]), rule, ...table.slice(1).map(line)].join('\n'));
    },
  };
}

export interface Answer {
  status: number;
  text: string;
  json: Record<string, unknown>;
  headers: Record<string, unknown>;
}

/** A client for the collector on `port()`, over a keep-alive agent (`agent.destroy()` when done). */
export function httpClient(port: () => number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const send = (method: string, path: string, body?: Uint8Array, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: port(), method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // Not JSON (metrics, or an empty body): callers read `text`.
          }
          resolve({ status: res.statusCode ?? 0, text, json, headers: res.headers });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const bearer = (token?: string): Record<string, string> =>
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  return {
    agent,
    send,
    post: (body: Uint8Array, token?: string, query = '') => send('POST', `/v1/profile${query}`, body, bearer(token)),
    erase: (id: string, token?: string) => send('DELETE', `/v1/profile/${id}`, undefined, bearer(token)),
  };
}

/**
 * One test file's storage: a PostgreSQL server and a temp folder, up before its cases and gone
 * after them (then `summary` prints). `where(adapter)` names a fresh database for one collector.
 */
export function suiteStorage(name: string, summary?: { print(): void }) {
  let pgServer: Awaited<ReturnType<typeof startPostgres>> | undefined;
  let tmp = '';
  let n = 0;
  beforeAll(async () => {
    pgServer = await startPostgres();
    tmp = await mkdtemp(join(tmpdir(), `portrait-${name}-`));
  }, 120_000);
  afterAll(async () => {
    pgServer?.stop();
    await rm(tmp, { recursive: true, force: true });
    summary?.print();
  });
  return {
    async where(adapter: Adapter): Promise<Pick<CollectorOptions, 'postgresUrl' | 'dbPath'>> {
      if (adapter === 'postgres') return { postgresUrl: await freshDatabase((pgServer as { url: string }).url) };
      return { dbPath: join(tmp, `${name}-${n++}.db`) };
    },
  };
}

/**
 * A test collector's options: storage `where`, the shop origin http://shop.test, the given
 * secret and admin token, silent logs and no rate limits (a case that tests a limit sets it in
 * `over`, which wins over all of these).
 */
export function testCollectorOptions(
  where: Pick<CollectorOptions, 'postgresUrl' | 'dbPath'>,
  keys: { secret: string; adminToken: string },
  over: Partial<CollectorOptions> = {},
): CollectorOptions {
  return {
    ...where,
    allowedOrigins: ['http://shop.test'],
    secret: keys.secret,
    adminToken: keys.adminToken,
    logLevel: 'silent',
    idPerMinute: 0,
    ipPerMinute: 0,
    firstSyncPerMinute: 0,
    ...over,
  };
}

/** Starts a collector on a free loopback port; answers the port. */
export async function listen(collector: Collector): Promise<number> {
  await collector.ready;
  await new Promise<void>((r) => collector.server.listen(0, '127.0.0.1', r));
  return (collector.server.address() as AddressInfo).port;
}
