#!/usr/bin/env -S npx tsx
// portrait-collector [serve] [--dev] [--config file.json] [--port N] [--db file | --postgres URL] ...
// portrait-collector import --items items.jsonl --out catalogue/ [--orders orders.jsonl] [--limit N] [--shards N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importCatalogue } from './catalogue-import.ts';
import { createCollector } from './collector.ts';
import { type CollectorOptions, readConfigFile } from './config.ts';

const USAGE = `usage: portrait-collector [serve] [--dev] [--config file.json] [--port N] [--host H]
                          [--db file | --postgres URL] [--origin URL]... [--catalogue DIR]
                          [--secret-file F] [--admin-token-file F] [--audience-min-devices K] ...
       portrait-collector import --items items.jsonl --out catalogue/ [--limit N] [--shards N]
Secrets come from PORTRAIT_SECRET / PORTRAIT_ADMIN_TOKEN or their files, never from argv.
Merchant view: /merchant on the listening address (behind the admin token).`;

// \`pnpm start -- --port 8787\` hands the script a literal \`--\` (pnpm 12), and parseArgs would
// read every flag after it as a positional: a leading \`--\` is dropped so both spellings work.
const argv = process.argv.slice(2);
if (argv[0] === '--' || (argv[1] === '--' && !argv[0]?.startsWith('-'))) argv.splice(argv.indexOf('--'), 1);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}

const { values, positionals } = parseArgs({
  args: argv,
  allowPositionals: true,
  options: {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    postgres: { type: 'string' },
    origin: { type: 'string', multiple: true },
    catalogue: { type: 'string' },
    dev: { type: 'boolean' },
    // Parsed only to refuse it with a reason: argv is readable by every user of the machine.
    secret: { type: 'string' },
    'secret-file': { type: 'string' },
    'admin-token-file': { type: 'string' },
    'clock-skew-seconds': { type: 'string' },
    'max-connections': { type: 'string' },
    'retention-days': { type: 'string' },
    'token-ttl-days': { type: 'string' },
    'ip-per-minute': { type: 'string' },
    'id-per-minute': { type: 'string' },
    'first-sync-per-minute': { type: 'string' },
    'rate-limit-keys': { type: 'string' },
    'sqlite-sync': { type: 'string' },
    'audience-min-devices': { type: 'string' },
    // Checks the command line (and config file) and exits before opening anything: the README test uses it.
    'dry-run': { type: 'boolean' },
    items: { type: 'string' },
    out: { type: 'string' },
    limit: { type: 'string' },
    shards: { type: 'string' },
    orders: { type: 'string' },
  },
});

const command = positionals[0] ?? 'serve';
const fail = (message: string): never => {
  console.error(`[portrait:collector] ${message}`);
  process.exit(2);
};
// A limit that is not a number would silently turn into no limit at all.
const num = (s: string | undefined) => {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : fail(`"${s}" is not a number >= 0`);
};
// A file's content without its trailing newline; an empty file is no secret.
const readSecret = (path: string) => readFileSync(path, 'utf8').trim();

if (command === 'import') {
  if (!values.items || !values.out) {
    console.error(
      'usage: portrait-collector import --items items.jsonl --out catalogue-dir [--orders orders.jsonl] [--limit N] [--shards N]',
    );
    process.exit(2);
  }
  if (values['dry-run']) {
    console.log(`[portrait:import] dry run: would import ${values.items} into ${values.out}`);
    process.exit(0);
  }
  const m = await importCatalogue({
    itemsPath: values.items,
    outDir: values.out,
    limit: num(values.limit),
    shards: num(values.shards),
    ...(values.orders ? { ordersPath: values.orders } : {}),
    log: (line) => console.log(`[portrait:import] ${line}`),
  });
  console.log(`[portrait:import] wrote ${values.out}: ${m.items} items, ${m.shards} shards, basis v${m.basisVersion}`);
} else if (command === 'serve') {
  if (values.secret !== undefined) {
    fail('--secret is not accepted: argv is visible to every user (ps). Set PORTRAIT_SECRET or use --secret-file.');
  }
  const file = values.config ? readConfigFile(values.config) : {};

  const dev = values.dev ?? file.dev ?? false;
  const secretFile = values['secret-file'] ?? file.secretFile;
  const secret = secretFile !== undefined ? readSecret(secretFile) : process.env.PORTRAIT_SECRET?.trim();
  if (secret === '') fail(`${secretFile ?? 'PORTRAIT_SECRET'} holds no key`);
  if (secret === undefined && !dev) {
    fail('no secret: set PORTRAIT_SECRET or --secret-file (or run with --dev, which uses a random one)');
  }
  const origins = values.origin ?? file.allowedOrigins;
  if (origins === undefined && !dev) fail('--origin is required: the shop origins allowed to call the collector');
  const adminFile = values['admin-token-file'] ?? file.adminTokenFile;
  const adminToken = adminFile !== undefined ? readSecret(adminFile) : process.env.PORTRAIT_ADMIN_TOKEN?.trim();
  const options: CollectorOptions = {
    ...file,
    dev,
    dbPath: values.db ?? file.dbPath ?? process.env.PORTRAIT_DB ?? 'portrait-collector.db',
    postgresUrl: values.postgres ?? file.postgresUrl,
    allowedOrigins: origins ?? '*',
    catalogueDir: values.catalogue ?? file.catalogueDir,
    secret,
    adminToken: adminToken || undefined,
    clockSkewSeconds: num(values['clock-skew-seconds']) ?? file.clockSkewSeconds,
    maxConnections: num(values['max-connections']) ?? file.maxConnections,
    retentionDays: num(values['retention-days']) ?? file.retentionDays,
    tokenTtlDays: num(values['token-ttl-days']) ?? file.tokenTtlDays,
    ipPerMinute: num(values['ip-per-minute']) ?? file.ipPerMinute,
    idPerMinute: num(values['id-per-minute']) ?? file.idPerMinute,
    firstSyncPerMinute: num(values['first-sync-per-minute']) ?? file.firstSyncPerMinute,
    rateLimitKeys: num(values['rate-limit-keys']) ?? file.rateLimitKeys,
    sqliteSync: (values['sqlite-sync'] as 'normal' | 'full' | undefined) ?? file.sqliteSync,
    audienceMinDevices: num(values['audience-min-devices']) ?? file.audienceMinDevices,
    logLevel: file.logLevel ?? 'info',
  };
  if (values['dry-run']) {
    console.log(
      `[portrait:collector] dry run: would serve on port ${values.port ?? file.port ?? process.env.PORT ?? 8787}, ` +
        `origins ${options.allowedOrigins === '*' ? '*' : options.allowedOrigins.join(' ')}, ${dev ? 'dev' : 'production'} mode`,
    );
    process.exit(0);
  }
  if (dev) {
    console.error(
      `[portrait:collector] DEVELOPMENT MODE: ${secret ? 'the given secret' : 'a random secret (tokens die with this process)'}, ` +
        `origins ${options.allowedOrigins === '*' ? '* (any)' : options.allowedOrigins.join(' ')}, ` +
        `${adminToken ? 'stats/metrics behind the admin token' : 'stats/metrics open to anyone'}. Never expose it.`,
    );
  } else if (!adminToken) {
    console.error(
      '[portrait:collector] no admin token (PORTRAIT_ADMIN_TOKEN, --admin-token-file): /v1/stats and /v1/metrics answer 401',
    );
  }
  const collector = createCollector(options);
  await collector.ready;
  const port = Number(values.port ?? file.port ?? process.env.PORT ?? 8787);
  const host = values.host ?? file.host ?? '127.0.0.1';
  collector.server.listen(port, host, () => {
    const addr = collector.server.address();
    const bound = typeof addr === 'object' && addr ? addr.port : port;
    console.log(
      `[portrait:collector] listening on http://${host}:${bound} (${options.postgresUrl ? 'PostgreSQL' : `SQLite ${options.dbPath}`}); merchant view http://${host}:${bound}/merchant`,
    );
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => void collector.close().then(() => process.exit(0)));
} else {
  console.error(`unknown command "${command}": use serve or import\n${USAGE}`);
  process.exit(2);
}
