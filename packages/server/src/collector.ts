import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { createLogger } from '@portrait/core';
import { createApp } from './app.ts';
import { type Catalogue, loadCatalogue } from './catalogue.ts';
import { type CollectorOptions, withDefaults } from './config.ts';
import { openPostgresStore } from './store/postgres-store.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { ProfileStore } from './store/types.ts';
import { tokenKeys } from './token.ts';

export interface Collector {
  /** A Node HTTP server, not yet listening: call `listen` as with any `http.Server`. */
  server: Server;
  /** Resolves once storage and catalogue are open (requests wait for it on their own). */
  ready: Promise<{ store: ProfileStore; catalogue: Catalogue }>;
  close(): Promise<void>;
}

/** The reference collector on SQLite (default) or PostgreSQL, with its catalogue folder. */
export function createCollector(options: CollectorOptions): Collector {
  const log = createLogger('portrait:collector', options.logLevel ?? 'info');
  const store = options.postgresUrl
    ? openPostgresStore(options.postgresUrl)
    : Promise.resolve(openSqliteStore(options.dbPath ?? 'portrait-collector.db', options.sqliteSync));
  const catalogue = loadCatalogue(options.catalogueDir, options.candidates);
  // Keep the rejections observed here; each request awaiting them still sees the error.
  store.catch((e: unknown) => log.error('storage failed to open', String(e)));
  catalogue.catch((e: unknown) => log.error('catalogue failed to load', String(e)));
  if (!options.secret) {
    log.warn(
      'no secret configured: ownership tokens last only as long as this process. ' +
        'Set one with PORTRAIT_SECRET="$(openssl rand -hex 32)" or --secret-file (see packages/server/README.md)',
    );
  }
  const keys = tokenKeys(options.secret ?? randomBytes(32).toString('hex'));
  const app = createApp({ options, store, catalogue, keys, log });
  const o = withDefaults(options);
  const server = createAdaptorServer({
    fetch: app.fetch,
    serverOptions: {
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      // Node checks the two timeouts every 30 s by default: a slow client would get that long.
      connectionsCheckingInterval: Math.min(1_000, o.headersTimeoutMs),
    },
  }) as Server;
  server.maxConnections = o.maxConnections;
  const ready = Promise.all([store, catalogue]).then(([s, c]) => ({ store: s, catalogue: c }));
  // Retention: whatever was last written more than `retentionDays` ago goes, tombstones too.
  const sweep = () =>
    void store
      .then((s) => s.sweep(Date.now() - o.retentionDays * 86_400_000))
      .then(
        (n) =>
          (n.profiles || n.receipts) && log.info('retention sweep', n.profiles, 'profiles', n.receipts, 'receipts'),
      )
      .catch((e: unknown) => log.error('retention sweep failed', String(e)));
  let sweeper: NodeJS.Timeout | undefined;
  void store.then(
    () => {
      sweep();
      sweeper = setInterval(sweep, o.sweepIntervalMs);
      // The sweep alone must not keep a process alive.
      sweeper.unref();
    },
    () => {},
  );
  return {
    server,
    ready,
    close: async () => {
      clearInterval(sweeper);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await (await store.catch(() => undefined))?.close();
    },
  };
}
