#!/usr/bin/env -S npx tsx
// portrait-collector [serve] [--config file.json] [--port N] [--db file | --postgres URL] ...
// portrait-collector import --items items.jsonl --out catalogue/ [--limit N] [--shards N]
import { parseArgs } from 'node:util';
import { importCatalogue } from './catalogue-import';
import { createCollector } from './collector';
import { type CollectorOptions, readConfigFile } from './config';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    postgres: { type: 'string' },
    origin: { type: 'string', multiple: true },
    catalogue: { type: 'string' },
    secret: { type: 'string' },
    'ip-per-minute': { type: 'string' },
    'id-per-minute': { type: 'string' },
    'first-sync-per-minute': { type: 'string' },
    'rate-limit-keys': { type: 'string' },
    'sqlite-sync': { type: 'string' },
    items: { type: 'string' },
    out: { type: 'string' },
    limit: { type: 'string' },
    shards: { type: 'string' },
  },
});

const command = positionals[0] ?? 'serve';
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

if (command === 'import') {
  if (!values.items || !values.out) {
    console.error('usage: portrait-collector import --items items.jsonl --out catalogue-dir [--limit N] [--shards N]');
    process.exit(2);
  }
  const m = await importCatalogue({
    itemsPath: values.items,
    outDir: values.out,
    limit: num(values.limit),
    shards: num(values.shards),
    log: (line) => console.log(`[portrait:import] ${line}`),
  });
  console.log(`[portrait:import] wrote ${values.out}: ${m.items} items, ${m.shards} shards, basis v${m.basisVersion}`);
} else if (command === 'serve') {
  const file = values.config ? readConfigFile(values.config) : {};
  const fileExtra = file as { port?: number; host?: string };
  const options: CollectorOptions = {
    ...file,
    dbPath: values.db ?? file.dbPath ?? process.env.PORTRAIT_DB ?? 'portrait-collector.db',
    postgresUrl: values.postgres ?? file.postgresUrl,
    allowedOrigins: values.origin ?? file.allowedOrigins ?? '*',
    catalogueDir: values.catalogue ?? file.catalogueDir,
    secret: values.secret ?? file.secret ?? process.env.PORTRAIT_SECRET,
    ipPerMinute: num(values['ip-per-minute']) ?? file.ipPerMinute,
    idPerMinute: num(values['id-per-minute']) ?? file.idPerMinute,
    firstSyncPerMinute: num(values['first-sync-per-minute']) ?? file.firstSyncPerMinute,
    rateLimitKeys: num(values['rate-limit-keys']) ?? file.rateLimitKeys,
    sqliteSync: (values['sqlite-sync'] as 'normal' | 'full' | undefined) ?? file.sqliteSync,
    logLevel: file.logLevel ?? 'info',
  };
  const collector = createCollector(options);
  await collector.ready;
  const port = Number(values.port ?? fileExtra.port ?? process.env.PORT ?? 8787);
  const host = values.host ?? fileExtra.host ?? '127.0.0.1';
  collector.server.listen(port, host, () => {
    const addr = collector.server.address();
    const bound = typeof addr === 'object' && addr ? addr.port : port;
    console.log(
      `[portrait:collector] listening on http://${host}:${bound} (${options.postgresUrl ? 'PostgreSQL' : `SQLite ${options.dbPath}`})`,
    );
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => void collector.close().then(() => process.exit(0)));
} else {
  console.error(`unknown command "${command}": use serve or import`);
  process.exit(2);
}
