import { createHash, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { decodePayload, encodeShard, type Logger, PAYLOAD_FLAGS, PAYLOAD_MAX_BYTES, rankItems } from '@portrait/core';
import { type Context, Hono } from 'hono';
import type { Catalogue } from './catalogue.ts';
import { type CollectorOptions, withDefaults } from './config.ts';
import {
  aggregateTotals,
  audienceLabels,
  audienceSizes,
  createMerchantStats,
  holdoutComparison,
  parseAggregate,
} from './merchant.ts';
import { MERCHANT_PAGE } from './merchant-page.ts';
import { createMetrics } from './metrics.ts';
import { addressKey, createRateLimiter } from './rate-limit.ts';
import { readBody } from './read-body.ts';
import type { ProfileStore } from './store/types.ts';
import { checkToken, issueToken, type TokenKeys } from './token.ts';

const PSEUDO_ID = /^[0-9a-f]{32}$/;

interface Deps {
  options: CollectorOptions;
  store: Promise<ProfileStore>;
  catalogue: Promise<Catalogue>;
  keys: TokenKeys;
  log: Logger;
}

// The token travels only in `authorization: Bearer …`: a URL (`?token=`) ends up in proxy and
// access logs, and the device never needs one (it does not beacon).
function tokenOf(c: Context): string | undefined {
  const auth = c.req.header('authorization');
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

/** The collector's routes; storage and catalogue arrive as promises so the app exists at once. */
export function createApp(d: Deps) {
  // Options left undefined (an absent CLI flag) keep their default instead of erasing it.
  const o = withDefaults(d.options);
  const app = new Hono();
  const metrics = createMetrics();
  const merchant = createMerchantStats();
  // The label vectors projected once per catalogue; the catalogue does not change while running.
  const labels = d.catalogue.then(audienceLabels);
  labels.catch(() => {});
  const perIp = createRateLimiter(o.ipPerMinute, o.ipPerMinute, o.rateLimitKeys);
  const perId = createRateLimiter(o.idPerMinute, Math.max(1, Math.ceil(o.idPerMinute / 6)), o.rateLimitKeys);
  // Tokenless upserts claim new ids; they are charged to the sender's address, never to the id
  // they name, so nobody can spend an owner's budget by knowing its id.
  const firstSyncs = createRateLimiter(o.firstSyncPerMinute, o.firstSyncPerMinute, o.rateLimitKeys);
  const clientKey = (c: Context) => addressKey(getConnInfo(c).remote.address ?? 'unknown');
  // A verdict other than 'valid' answered as the worker expects: 401 and 403 both make the
  // device rotate to a new id.
  const refuse = (c: Context, verdict: 'expired' | 'forged') =>
    verdict === 'expired' ? err(c, 401, 'token/expired') : err(c, 403, 'token/forged');
  const err = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429, code: string, message?: string) =>
    c.json(message ? { code, message } : { code }, status);

  // Access log and metrics: method, route and status only. Never bodies, never query strings (tokens).
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath;
    const ms = performance.now() - started;
    metrics.observe(route, c.res.status, ms);
    // Sync health counts every answer to a sync, the rate limiter's 429s before any route included.
    if (c.req.method === 'POST' && c.req.path === '/v1/profile') merchant.sync(c.res.status);
    d.log.debug(c.req.method, route, c.res.status, `${ms.toFixed(1)} ms`);
  });

  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    // The merchant view is the collector's own page: its same-origin calls are no shop's.
    const own = c.req.path.startsWith('/v1/merchant') && origin === new URL(c.req.url).origin;
    const allowed = !origin || own || o.allowedOrigins === '*' || o.allowedOrigins.includes(origin);
    if (origin && allowed) {
      c.header('access-control-allow-origin', o.allowedOrigins === '*' ? '*' : origin);
      c.header('vary', 'origin');
      // Retry-After is not CORS-safelisted: without this the worker cannot see how long to wait.
      c.header('access-control-expose-headers', 'x-basis-version, retry-after');
    }
    // Charged before any CORS answer: preflights and refused origins cost as much as the rest.
    if (!perIp.take(clientKey(c))) {
      c.header('retry-after', '10');
      return err(c, 429, 'rate-limited', 'too many requests from this address');
    }
    if (!allowed) return err(c, 403, 'origin-not-allowed');
    if (c.req.method === 'OPTIONS') {
      c.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      c.header('access-control-allow-headers', 'content-type, authorization');
      c.header('access-control-max-age', '86400');
      return c.body(null, 204);
    }
    await next();
  });

  // Counts and route statistics are the operator's: a bearer admin token, never in the query
  // string (proxies log those). Hashing both sides makes the comparison constant-length.
  const adminDigest = d.options.adminToken ? createHash('sha256').update(d.options.adminToken).digest() : undefined;
  const isAdmin = (c: Context) => {
    if (!adminDigest) return d.options.dev === true;
    const auth = c.req.header('authorization');
    if (!auth?.startsWith('Bearer ')) return false;
    return timingSafeEqual(createHash('sha256').update(auth.slice(7).trim()).digest(), adminDigest);
  };
  app.use('/v1/stats', async (c, next) => (isAdmin(c) ? next() : err(c, 401, 'admin/token')));
  app.use('/v1/metrics', async (c, next) => (isAdmin(c) ? next() : err(c, 401, 'admin/token')));
  app.use('/v1/merchant', async (c, next) => (isAdmin(c) ? next() : err(c, 401, 'admin/token')));

  // The page itself holds nothing: it asks for the token when its API answers 401.
  app.get('/merchant', (c) => c.body(MERCHANT_PAGE.html, 200, MERCHANT_PAGE.headers));
  app.get('/v1/merchant', async (c) => {
    const store = await d.store;
    const [counts, payloads, tombstones, aggregates, cat, labelVectors] = await Promise.all([
      store.counts(),
      store.livePayloads(o.audienceMaxScan),
      store.tombstones(),
      store.aggregates(),
      d.catalogue,
      labels,
    ]);
    const s = merchant.snapshot();
    const sum = (k: 'errors' | 'rateLimited') => s.series.reduce((a, m) => a + m[k], 0);
    const c1 = aggregateTotals(aggregates);
    const milestone = (pages: 1 | 3 | 5) => {
      const devices = c1[`pages${pages}`];
      const withProfile = Math.min(devices, c1[`pages${pages}Profile`]);
      return { pages, devices, withProfile, share: devices ? withProfile / devices : 0 };
    };
    c.header('cache-control', 'no-store');
    return c.json({
      generatedAt: Date.now(),
      k: o.audienceMinDevices,
      profiles: counts.profiles,
      audiences: audienceSizes(payloads, labelVectors, cat.basis.basis.version, o.audienceMinDevices),
      sync: {
        perMinute: s.lastMinute,
        errors: sum('errors'),
        rateLimited: sum('rateLimited'),
        pendingErasures: tombstones,
        erasures: s.erasures,
        series: s.series,
      },
      milestones: [milestone(1), milestone(3), milestone(5)],
      bytes: {
        perVisitor: counts.profiles ? s.bytesAccepted / counts.profiles : 0,
        perSync: s.syncsAccepted ? s.bytesAccepted / s.syncsAccepted : 0,
      },
      holdout: holdoutComparison(c1),
    });
  });

  // Aggregate counters from devices: no id, no token, a few named small integers (merchant.ts).
  app.post('/v1/aggregate', async (c) => {
    const body = await readBody(c, 512);
    if (body === 'too-large') return err(c, 413, 'payload/too-large');
    if (body === 'aborted') return err(c, 400, 'payload/aborted');
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return err(c, 400, 'aggregate/json');
    }
    const report = parseAggregate(parsed);
    if (!report) return err(c, 400, 'aggregate/value', 'known counters with integers 0-100 only');
    // Answered once the sums are committed: a restart or another collector on the same database sees them.
    await (await d.store).addAggregates(report);
    return c.body(null, 204);
  });

  app.get('/v1/health', async (c) => {
    const store = await d.store;
    await store.counts();
    return c.json({ ok: true, storage: store.kind });
  });
  app.get('/v1/stats', async (c) => c.json(await (await d.store).counts()));
  app.get('/v1/metrics', async (c) => {
    const counts = await (await d.store).counts();
    const cat = await d.catalogue;
    return c.text(
      metrics.render({
        portrait_profiles: counts.profiles,
        portrait_receipts: counts.receipts,
        portrait_catalogue_items: cat.items.length,
        portrait_basis_version: cat.basis.basis.version,
        portrait_rate_limit_ip_keys: perIp.size,
        portrait_rate_limit_id_keys: perId.size,
      }),
      200,
      { 'content-type': 'text/plain; version=0.0.4' },
    );
  });

  app.post('/v1/profile', async (c) => {
    const body = await readBody(c, PAYLOAD_MAX_BYTES);
    if (body === 'too-large') {
      c.header('connection', 'close');
      return err(c, 413, 'payload/too-large');
    }
    if (body === 'aborted') return err(c, 400, 'payload/aborted');
    const decoded = decodePayload(body);
    if (!decoded.ok) return err(c, 400, decoded.code, decoded.message);
    const p = decoded.payload;
    const cat = await d.catalogue;
    if (p.modelHash !== cat.basis.modelHash) return err(c, 400, 'payload/model', 'vectors of another model');
    if (!(p.flags & PAYLOAD_FLAGS.segments) && p.vectors.some((v) => v.length > cat.basis.basis.outDim)) {
      return err(c, 400, 'payload/dimension', `more than ${cat.basis.basis.outDim} components`);
    }
    // Devices project with the served basis, or with the random projection (version 0) until
    // they have fetched it; any other version is nobody's.
    if (p.basisVersion !== 0 && p.basisVersion !== cat.basis.basis.version) {
      return err(c, 400, 'payload/basis', `basis version ${p.basisVersion} is not served`);
    }
    // A far-future timestamp would make every later sync of this id "stale".
    if (p.timestamp > Date.now() / 1000 + o.clockSkewSeconds) {
      return err(c, 400, 'payload/future', 'timestamp ahead of the collector clock');
    }
    // Ownership: a known id needs its token; an unknown id may start without one (first sync).
    // Only a verified token spends the id's budget; a tokenless sync spends its address's.
    const token = tokenOf(c);
    const verdict = token === undefined ? undefined : checkToken(d.keys, p.pseudoId, token);
    if (verdict === 'expired' || verdict === 'forged') return refuse(c, verdict);
    if (token !== undefined ? !perId.take(p.pseudoId) : !firstSyncs.take(clientKey(c))) {
      c.header('retry-after', '60');
      return err(c, 429, 'rate-limited', token !== undefined ? 'too many syncs for this id' : 'too many first syncs');
    }
    const store = await d.store;
    const outcome = await store.save(
      { pseudoId: p.pseudoId, timestamp: p.timestamp, receivedAt: Date.now(), payload: body },
      p.idempotencyKey,
      token === undefined,
    );
    if (outcome === 'taken') return err(c, 401, 'token/missing');
    // Erased for good: no token is handed out again, whatever the request shows.
    if (outcome === 'erased') return err(c, 410, 'profile/erased', 'this id was erased');
    // The token goes only to whoever created the id (or already holds a valid token), renewed
    // on every accepted upsert: a device that syncs within each period never meets expiry.
    const renewed = issueToken(d.keys, p.pseudoId, Date.now() + o.tokenTtlDays * 86_400_000);
    merchant.accepted(body.length);
    return c.json({ outcome, duplicate: outcome === 'duplicate', token: renewed }, outcome === 'stored' ? 201 : 200);
  });

  app.delete('/v1/profile/:id', async (c) => {
    const id = c.req.param('id');
    if (!PSEUDO_ID.test(id)) return err(c, 400, 'bad-id');
    const token = tokenOf(c);
    if (token === undefined) return err(c, 401, 'token/missing');
    const verdict = checkToken(d.keys, id, token);
    if (verdict !== 'valid') return refuse(c, verdict);
    if (!perId.take(id)) return err(c, 429, 'rate-limited');
    // Idempotent: an id already erased answers 204 too, so a device retrying its erasure succeeds.
    if (await (await d.store).erase(id)) merchant.erased();
    return c.body(null, 204);
  });

  app.get('/v1/recommendations', async (c) => {
    const id = c.req.query('id') ?? '';
    if (!PSEUDO_ID.test(id)) return err(c, 400, 'bad-id');
    const k = Math.min(o.maxK, Math.max(1, Math.floor(Number(c.req.query('k') ?? 10)) || 10));
    const token = tokenOf(c);
    if (token === undefined) return err(c, 401, 'token/missing');
    const verdict = checkToken(d.keys, id, token);
    if (verdict !== 'valid') return refuse(c, verdict);
    const [store, cat] = await Promise.all([d.store, d.catalogue]);
    const stored = await store.get(id);
    if (!stored) return err(c, 404, 'not-found');
    const decoded = decodePayload(stored.payload);
    if (!decoded.ok || decoded.payload.vectors.length === 0) return err(c, 409, 'profile/no-vector');
    if (decoded.payload.basisVersion !== cat.basis.basis.version) return err(c, 409, 'basis/outdated');
    const ranked = rankItems(decoded.payload.vectors, cat.items, k);
    return c.json({
      basisVersion: cat.basis.basis.version,
      items: ranked.map((r) => ({ id: r.id, title: r.title, score: Number(r.score.toFixed(4)) })),
    });
  });

  app.get('/v1/basis', async (c) => {
    const cat = await d.catalogue;
    const etag = `"b${cat.basis.basis.version}-${cat.basis.modelHash.toString(16)}"`;
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('etag', etag);
    c.header('cache-control', 'public, max-age=3600');
    return c.body(cat.basisBytes.slice().buffer, 200, { 'content-type': 'application/octet-stream' });
  });

  // Candidates for on-device re-ranking: compact vectors in the shard format, ids only.
  app.get('/v1/candidates', async (c) => {
    const cat = await d.catalogue;
    const bytes = encodeShard(cat.candidates, cat.basis.basis.outDim);
    c.header('cache-control', 'public, max-age=3600');
    c.header('x-basis-version', String(cat.basis.basis.version));
    return c.body(bytes.buffer, 200, { 'content-type': 'application/octet-stream' });
  });

  app.get('/v1/catalogue-vectors/manifest.json', async (c) => {
    const m = (await d.catalogue).manifest;
    if (!m) return err(c, 404, 'no-catalogue');
    c.header('cache-control', 'public, max-age=300');
    return c.json(m);
  });
  const shard = async (c: Context, version: string | undefined, n: string) => {
    const cat = await d.catalogue;
    const bytes =
      /^\d+$/.test(n) && cat.manifest ? await cat.shard(version ?? cat.manifest.version, Number(n)) : undefined;
    if (!bytes) return err(c, 404, 'no-shard');
    // A versioned path never changes: cache it for good.
    c.header('cache-control', version ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return c.body(bytes.slice().buffer, 200, { 'content-type': 'application/octet-stream' });
  };
  app.get('/v1/catalogue-vectors/:version/:file{[0-9]+\\.bin}', (c) =>
    shard(c, c.req.param('version'), c.req.param('file').replace('.bin', '')),
  );
  app.get('/v1/catalogue-vectors/:version/labels.bin', async (c) => {
    const bytes = await (await d.catalogue).labels(c.req.param('version'));
    if (!bytes) return err(c, 404, 'no-labels');
    c.header('cache-control', 'public, max-age=31536000, immutable');
    return c.body(bytes.slice().buffer, 200, { 'content-type': 'application/octet-stream' });
  });
  app.get('/v1/catalogue-vectors/:shard', (c) => shard(c, undefined, c.req.param('shard')));

  app.notFound((c) => err(c, 404, 'not-found'));
  app.onError((e, c) => {
    d.log.error('request failed', e instanceof Error ? e.message : String(e));
    return c.json({ code: 'internal' }, 500);
  });
  return app;
}
