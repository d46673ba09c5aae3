import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The env var naming an existing PostgreSQL server for the adapter tests. */
export const PG_ENV = 'PORTRAIT_PG_URL';

function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * A PostgreSQL for the tests: the server in PORTRAIT_PG_URL if set (the bootstrap starts one),
 * else a throwaway cluster in a temp dir on a loopback port from Debian's binaries. Throws, so
 * the adapter tests fail loudly, when neither is possible.
 */
export async function startPostgres(): Promise<{ url: string; stop(): void }> {
  const fromEnv = process.env[PG_ENV];
  if (fromEnv) return { url: fromEnv, stop: () => {} };
  const bin = pgBin();
  if (!bin) {
    throw new Error(
      `No PostgreSQL for the adapter tests: set ${PG_ENV}=postgres://user@host:port/db or install Debian's postgresql (apt-get install postgresql).`,
    );
  }
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'portrait-pg-'));
  const data = join(dir, 'data');
  const asPg = (cmd: string, args: string[]) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  if (root)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString()),
      Number(execFileSync('id', ['-g', 'postgres']).toString()),
    );
  asPg(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'portrait', '--no-sync']);
  const port = await freePort();
  asPg(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
    'start',
  ]);
  return {
    url: `postgres://portrait@127.0.0.1:${port}/postgres`,
    stop() {
      const r = root ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl')]] : [join(bin, 'pg_ctl'), []];
      spawnSync(r[0] as string, [...(r[1] as string[]), '-D', data, '-m', 'immediate', '-w', 'stop'], {
        stdio: 'ignore',
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let n = 0;
/** A fresh, empty database on that server, so tests never see each other's rows. */
export async function freshDatabase(url: string): Promise<string> {
  const name = `portrait_t${process.pid}_${Date.now().toString(36)}_${n++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
