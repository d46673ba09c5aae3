// The collector's command line as an operator meets it: production mode refuses to start
// without a secret or an origin allowlist, secrets never come from argv, and `--dev` says
// loudly what it relaxes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePayload } from '@portrait/core';
import { afterAll, describe, expect, it } from 'vitest';
import { payload } from './test-support/abuse-harness.ts';
import { startCollector, stopCollector } from './test-support/collector-process.ts';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'portrait-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A collector that must refuse to start: its exit code and what it printed.
function refused(args: string[], env: Record<string, string> = {}) {
  const { PORTRAIT_SECRET: _s, PORTRAIT_ADMIN_TOKEN: _a, ...rest } = process.env;
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', 'serve', '--port', '0', '--db', ':memory:', ...args],
    { cwd: pkg, env: { ...rest, ...env }, encoding: 'utf8', timeout: 30_000 },
  );
  return { code: r.status, stderr: r.stderr };
}

describe('collector command line', () => {
  it('refuses to start in production mode without a secret, with a secret on argv, or without --origin', () => {
    const noSecret = refused(['--origin', 'https://shop.example']);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/PORTRAIT_SECRET/);
    expect(noSecret.stderr).toMatch(/--secret-file/);
    const onArgv = refused(['--origin', 'https://shop.example', '--secret', 'visible-in-ps']);
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toMatch(/--secret is not accepted/);
    const noOrigin = refused([], { PORTRAIT_SECRET: 'a-long-enough-secret-for-the-test' });
    expect(noOrigin.code).toBe(2);
    expect(noOrigin.stderr).toMatch(/--origin/);
    const emptyFile = join(dir, 'empty');
    writeFileSync(emptyFile, '\n');
    const empty = refused(['--origin', 'https://shop.example', '--secret-file', emptyFile]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no key/);
    const config = join(dir, 'collector.json');
    writeFileSync(config, JSON.stringify({ allowedOrigins: ['https://shop.example'], secret: 'committed-by-mistake' }));
    const inConfig = refused(['--config', config]);
    expect(inConfig.code).not.toBe(0);
    expect(inConfig.stderr).toMatch(/"secret" is not read from a config file/);
  }, 60_000);

  it('reads the flags after a literal -- as flags (pnpm 12 passes `start -- --port` through) and checks them with --dry-run', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', '--', '--port', '8799', '--dev', '--db', ':memory:', '--dry-run'],
      { cwd: pkg, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/dry run: would serve on port 8799/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--', '--no-such-flag'], {
      cwd: pkg,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(bad.status).not.toBe(0);
  }, 60_000);

  it('--dev starts without a secret and says so on stderr', async () => {
    const c = await startCollector(['--dev', '--db', ':memory:']);
    try {
      // Any origin, and stats without an admin token: the development conveniences.
      const r = await fetch(`${c.url}/v1/stats`, { headers: { origin: 'http://anything.test' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await stopCollector(c);
    }
    expect(c.output()).toMatch(/DEVELOPMENT MODE/);
    expect(c.output()).toMatch(/random secret/);
  }, 60_000);

  it('reads the secret from --secret-file: a restart on the same key accepts the tokens it issued', async () => {
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, 'a-secret-from-a-file-0123456789\n');
    const db = join(dir, 'c.db');
    const args = ['--origin', 'https://shop.example', '--secret-file', secretFile, '--db', db];
    const first = await startCollector(args);
    let token = '';
    try {
      const r = await fetch(`${first.url}/v1/profile`, { method: 'POST', body: encodePayload(payload()) });
      expect(r.status).toBe(201);
      token = ((await r.json()) as { token: string }).token;
      // Production mode: stats stay closed without an admin token.
      expect((await fetch(`${first.url}/v1/stats`)).status).toBe(401);
    } finally {
      await stopCollector(first);
    }
    const again = await startCollector(args, 0, { PORTRAIT_ADMIN_TOKEN: 'cli-admin' });
    try {
      const body = encodePayload(payload({ timestamp: 1_780_000_001, idempotencyKey: '22'.repeat(8) }));
      const r = await fetch(`${again.url}/v1/profile`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(r.status).toBe(201);
      const stats = await fetch(`${again.url}/v1/stats`, { headers: { authorization: 'Bearer cli-admin' } });
      expect(await stats.json()).toEqual({ profiles: 1, receipts: 2 });
    } finally {
      await stopCollector(again);
    }
  }, 60_000);
});
