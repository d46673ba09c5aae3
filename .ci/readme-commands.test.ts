// Every command a README shows must work as written: fenced sh blocks and inline `pnpm …` /
// `npm …` spans in README.md, packages/*/README.md, demo/README.md and e2e/README.md. Short
// ones are run for real (the collector with --dry-run, through pnpm, so pnpm's own argument
// handling is part of the check); long ones (builds, benches, the e2e suite) are checked
// against what would run them: the pnpm script in the named package, the CLI's own parser.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../packages/eval/src/bench/bench-args.ts';
import { SECTIONS } from '../packages/eval/src/bench/sections.ts';
import { parseArgs as parseEvalArgs } from '../packages/eval/src/cli/args.ts';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const readmes = [
  'README.md',
  ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`),
  'demo/README.md',
  'e2e/README.md',
].filter((f) => existsSync(join(root, f)));

interface Command {
  file: string;
  line: string;
}

/** The commands of one README: sh fences line by line, and inline spans that start with (p)npm. */
function commandsOf(file: string, text: string): Command[] {
  const out: Command[] = [];
  let fence: string | undefined;
  for (const raw of text.split('\n')) {
    const open = /^\s*```(\w*)/.exec(raw);
    if (open) {
      fence = fence === undefined ? (open[1] ?? '') : undefined;
      continue;
    }
    if (fence !== undefined) {
      if (!['sh', 'bash', 'shell'].includes(fence)) continue;
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      if (line && !line.startsWith('#')) out.push({ file, line });
      continue;
    }
    for (const m of raw.matchAll(/`((?:time )?p?npm [^`]+)`/g)) out.push({ file, line: m[1] as string });
  }
  return out;
}

// A usage line's optional parts (`[--only section]`) are not typed; `time` only measures.
const words = (line: string) =>
  line
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/^time\s+/, '')
    .match(/(?:[^\s"']|"[^"]*"|'[^']*')+/g) ?? [];

const json = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const workspace = new Map<string, { dir: string; scripts: Record<string, string> }>();
for (const base of ['packages', '.']) {
  for (const d of base === '.' ? ['demo', 'e2e'] : readdirSync(join(root, base)).map((p) => `packages/${p}`)) {
    if (!existsSync(join(root, d, 'package.json'))) continue;
    const pkg = json(`${d}/package.json`);
    workspace.set(pkg.name, { dir: d, scripts: pkg.scripts ?? {} });
  }
}
const rootScripts: Record<string, string> = json('package.json').scripts;
// pnpm's own commands win over a script of the same name unless `pnpm run` is used.
const PNPM_BUILTINS = new Set(['import', 'install', 'add', 'remove', 'update', 'link', 'publish', 'pack', 'exec']);

const pnpm = () => {
  const local = join(root, '.cache', 'pnpm-12.4.2', 'node_modules', '.bin', 'pnpm');
  return existsSync(local) ? local : 'pnpm';
};

/** What is wrong with one command, or undefined. Runs the quick ones. */
function check(c: Command): string | undefined {
  const w = words(c.line);
  const env: Record<string, string> = {};
  while (w[0] && /^[A-Z_]+=/.test(w[0])) {
    const [k] = (w.shift() as string).split('=');
    env[k as string] = 'a-secret-for-the-readme-check-0123456789';
  }
  const tool = w.shift();
  if (tool === 'npm') {
    const script = w[0] === 'run' ? w[1] : w[0];
    if (!script || !rootScripts[script]) return `npm ${script}: no such script in package.json`;
    return undefined;
  }
  if (tool !== 'pnpm') return `not a pnpm/npm command: ${c.line}`;
  let filter: string | undefined;
  while (w[0]?.startsWith('-')) {
    const flag = w.shift() as string;
    if (flag === '--filter' || flag === '-F') filter = w.shift();
  }
  let script = w.shift() as string;
  const viaRun = script === 'run';
  if (viaRun) script = w.shift() as string;
  if (w.includes('--')) return `a literal -- is passed on to the script by pnpm 12: ${c.line}`;
  if (!viaRun && PNPM_BUILTINS.has(script)) return `"pnpm ${script}" is pnpm's own command; write "pnpm run ${script}"`;
  const scripts = filter ? workspace.get(filter)?.scripts : rootScripts;
  if (!scripts) return `no workspace package ${filter}`;
  if (!scripts[script]) {
    // `pnpm vitest …` runs a binary of the workspace.
    if (!filter && existsSync(join(root, 'node_modules', '.bin', script))) return undefined;
    return `${filter ?? 'root'} has no script "${script}"`;
  }
  try {
    // A bare `pnpm eval` in prose names the command; with flags it is an invocation to check.
    if (!filter && script === 'eval' && w.length > 0) parseEvalArgs(w);
    if (!filter && script === 'bench')
      parseBenchArgs(
        w,
        SECTIONS.map((s) => s.name),
      );
  } catch (e) {
    return `${c.line}: ${(e as Error).message}`;
  }
  if (filter === '@portrait/server' && (script === 'start' || script === 'import')) {
    const pkgDir = join(root, 'packages', 'server');
    // A config file the command names is made for the run (the README shows its keys elsewhere).
    const config = w[w.indexOf('--config') + 1];
    const made =
      w.includes('--config') && config && !existsSync(join(pkgDir, config)) ? join(pkgDir, config) : undefined;
    if (made) writeFileSync(made, JSON.stringify({ allowedOrigins: ['https://shop.example'], dev: true }));
    try {
      const { PORTRAIT_SECRET: _s, PORTRAIT_ADMIN_TOKEN: _a, ...rest } = process.env;
      const r = spawnSync(pnpm(), ['--filter', filter, ...(viaRun ? ['run'] : []), script, ...w, '--dry-run'], {
        cwd: root,
        env: { ...rest, ...env, npm_config_update_notifier: 'false' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (r.status !== 0) return `${c.line}: exit ${r.status}\n${r.stdout}${r.stderr}`;
      if (!/dry run/.test(r.stdout)) return `${c.line}: did not reach the collector's dry run\n${r.stdout}`;
    } finally {
      if (made) rmSync(made, { force: true });
    }
  }
  return undefined;
}

describe('README commands', () => {
  const all = readmes.flatMap((f) => commandsOf(f, readFileSync(join(root, f), 'utf8')));

  it('finds the commands of every README (the two of the root README among them)', () => {
    expect(all.map((c) => c.line)).toEqual(expect.arrayContaining(['npm start', 'npm test']));
    expect(all.some((c) => c.file === 'packages/server/README.md')).toBe(true);
  });

  it('rejects what pnpm 12 would break: a literal -- before flags, pnpm import instead of pnpm run import', () => {
    const server = '@portrait/server';
    expect(check({ file: 'x', line: `pnpm --filter ${server} start -- --port 8787` })).toMatch(/literal --/);
    expect(check({ file: 'x', line: `pnpm --filter ${server} import --items a` })).toMatch(/pnpm's own command/);
    expect(check({ file: 'x', line: 'pnpm --filter @portrait/server nosuch' })).toMatch(/no script/);
    expect(check({ file: 'x', line: 'pnpm eval --data d --no-such-flag 1' })).toMatch(/unknown flag/);
  });

  it('every documented command works as written (collector runs for real with --dry-run; scripts and flags checked)', () => {
    const problems = all.map((c) => [c, check(c)] as const).filter(([, p]) => p !== undefined);
    expect(problems.map(([c, p]) => `${c.file}: ${p}`)).toEqual([]);
  }, 180_000);
});
