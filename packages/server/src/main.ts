#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { createCollector } from './collector';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    db: { type: 'string', default: process.env.PORTRAIT_DB ?? 'portrait-collector.db' },
    origin: { type: 'string', multiple: true },
  },
});

const collector = createCollector({ dbPath: values.db, allowedOrigins: values.origin ?? '*', logLevel: 'info' });
collector.server.listen(Number(values.port), values.host, () => {
  console.log(`[portrait:collector] listening on http://${values.host}:${values.port} (db ${values.db})`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => void collector.close().then(() => process.exit(0)));
