// One entry for the README's two commands on a fresh machine with only Node 20 and npm:
// installs the pinned pnpm (from the npm registry), the workspace, and a Chromium for the e2e suite,
// then runs `pnpm demo` or `pnpm test:all`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const PNPM_VERSION = '12.4.2';
const mode = process.argv[2];
if (mode !== 'demo' && mode !== 'test') {
  console.error('usage: node .ci/bootstrap.mjs demo|test');
  process.exit(2);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// `npm start` is read by newcomers: a step's own output (pnpm's, the build's ~400-line file
// listing) is kept and shown only when the step fails.
function quiet(label, cmd, args, opts = {}) {
  const started = Date.now();
  process.stdout.write(`[portrait] ${label}… `);
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.status !== 0) {
    process.stdout.write('failed\n');
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

// pnpm lives in a git-ignored tool folder so nested `pnpm` calls in scripts find it on PATH.
const toolDir = join(root, '.cache', `pnpm-${PNPM_VERSION}`);
const pnpmBin = join(toolDir, 'node_modules', '.bin');
if (!existsSync(join(pnpmBin, 'pnpm'))) {
  mkdirSync(toolDir, { recursive: true });
  run('npm', ['install', '--prefix', toolDir, '--no-save', '--no-audit', '--no-fund', `pnpm@${PNPM_VERSION}`]);
}
// The pinned pnpm is the point: its "update available" notice only confuses.
const env = { ...process.env, PATH: `${pnpmBin}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
// onnxruntime-node's postinstall downloads from a host this machine cannot reach; its CPU build ships in the package.
env.ONNXRUNTIME_NODE_INSTALL = 'skip';
// better-sqlite3 compiles with node-gyp, which otherwise downloads Node's headers; use the installed ones.
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';

if (mode === 'test') run('pnpm', ['install', '--frozen-lockfile'], { env });
else quiet('installing the workspace (pnpm install)', 'pnpm', ['install', '--frozen-lockfile'], { env });

if (mode === 'test') {
  env.PORTRAIT_CHROMIUM = findChromium();
  const pg = startPostgres();
  if (pg) env.PORTRAIT_PG_URL = pg;
  run('pnpm', ['test:all'], { env });
} else {
  // `pnpm demo` in two steps so the build's output stays out of the way unless it fails.
  quiet('building the packages and the demo shop (pnpm -r build)', 'pnpm', ['-r', 'build'], { env });
  // The serve script itself, not through pnpm: Ctrl-C then stops it without pnpm's
  // "Command failed" lines. The child gets the terminal's SIGINT and exits on its own.
  process.on('SIGINT', () => {});
  run(join(root, 'node_modules', '.bin', 'tsx'), ['serve.ts'], { env, cwd: join(root, 'demo') });
}

function findChromium() {
  const fromEnv = process.env.PORTRAIT_CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) fail(`PORTRAIT_CHROMIUM=${fromEnv} does not exist.`);
    return fromEnv;
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('[portrait] installing Debian chromium for the e2e suite (apt-get)');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  fail(
    'No Chromium found. Install Debian `chromium` (apt-get install chromium) or set PORTRAIT_CHROMIUM to a Chromium/Chrome executable.',
  );
}

// The PostgreSQL adapter's tests run against a real Debian PostgreSQL: a throwaway cluster in a
// temp dir on a loopback port, stopped when this process exits (whatever the outcome).
function startPostgres() {
  if (process.env.PORTRAIT_PG_URL) return process.env.PORTRAIT_PG_URL;
  let bin = findPgBin();
  if (!bin && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('[portrait] installing Debian postgresql for the adapter tests (apt-get)');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    bin = findPgBin();
  }
  if (!bin) {
    console.error(
      '[portrait] No PostgreSQL: the PostgreSQL adapter tests will fail. Install Debian `postgresql` or set PORTRAIT_PG_URL=postgres://user@host:port/db.',
    );
    return undefined;
  }
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'portrait-ci-pg-'));
  const data = join(dir, 'data');
  const asPg = (cmd, args) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  if (root) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres']).toString());
    chownSync(dir, id('-u'), id('-g'));
  }
  const port = 25432 + (process.pid % 1000);
  asPg(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'portrait', '--no-sync']);
  asPg(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    'start',
  ]);
  process.on('exit', () => {
    try {
      asPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  });
  console.log(`[portrait] PostgreSQL ${bin.split('/').at(-2)} on 127.0.0.1:${port} for the adapter tests`);
  return `postgres://portrait@127.0.0.1:${port}/postgres`;
}

function findPgBin() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) {
    if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  return undefined;
}

function fail(msg) {
  console.error(`[portrait] ${msg}`);
  process.exit(1);
}
