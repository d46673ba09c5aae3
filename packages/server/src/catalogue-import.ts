import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildShopSignals,
  calibratedThreshold,
  DEFAULT_SIGNAL_PARAMS,
  encodeBasisFile,
  encodeShard,
  fitPca,
  fnv1a32,
  itemText,
  MAX_FIELD_CHARS,
  NEUTRAL_ANCHORS,
  type OrderLine,
  parseOrderLines,
  project,
  SENSITIVE_THRESHOLD,
  SENSITIVE_TOPICS,
  SHARD_FLAGS,
  type ShardSignals,
  type SignalParams,
  sensitiveTopic,
  shardOf,
  topicsHash,
} from '@portrait/core';
import { loadEncoder } from '@portrait/model';
import { fileSource } from '@portrait/model/node';
import type { CatalogueManifest } from './catalogue.ts';

/** One line of the import file. Only `id` and `title` are required. */
export interface CatalogueItem {
  id: string;
  title: string;
  category?: string;
  brand?: string;
  price?: number;
  /** Cut to core's `MAX_FIELD_CHARS` as the device cuts it; `itemText` keeps `DESCRIPTION_CHARS` of it. */
  description?: string;
}

export interface ImportOptions {
  /** JSON lines, one item per line. */
  itemsPath: string;
  /** Catalogue folder the collector serves (replaced atomically). */
  outDir: string;
  /** Models root holding `<modelId>/` (default: the built @portrait/model folder). */
  modelsRoot?: string;
  modelId?: string;
  shards?: number;
  /** PCA components (the compact dimension). */
  dim?: number;
  /** Basis version to write; default: the previous import's + 1 (the default basis is 1). */
  basisVersion?: number;
  /** At most this many items (a quick import for tests). */
  limit?: number;
  /** Fewest items one shard may hold: a shard request then names one of at least this many (default 64). */
  minShardItems?: number;
  /**
   * The merchant's order export, JSON lines `{order, item, ts, session?|customer?}`: its catalogue
   * signals (bought next / together, popularity) are written into the shards (format 3).
   */
  ordersPath?: string;
  /** How the signals are built (default `DEFAULT_SIGNAL_PARAMS`). */
  signalParams?: Partial<SignalParams>;
  log?: (line: string) => void;
}

export const DEFAULT_MODELS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../model/dist/models');

/** Parses the JSON lines, keeping the first of repeated ids and skipping unusable lines. */
export function parseItems(text: string): { items: CatalogueItem[]; skipped: number } {
  const items: CatalogueItem[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      const id = typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : '';
      const title = typeof o.title === 'string' ? o.title.trim() : '';
      if (!id || !title || seen.has(id) || new TextEncoder().encode(id).length > 255) {
        skipped++;
        continue;
      }
      seen.add(id);
      const item: CatalogueItem = { id, title };
      if (typeof o.category === 'string') item.category = o.category;
      if (typeof o.brand === 'string') item.brand = o.brand;
      if (typeof o.description === 'string' && o.description.trim() !== '')
        item.description = o.description.trim().slice(0, MAX_FIELD_CHARS);
      if (typeof o.price === 'number' && Number.isFinite(o.price)) item.price = o.price;
      items.push(item);
    } catch {
      skipped++;
    }
  }
  return { items, skipped };
}

/**
 * Embeds the items with the same bundled model the worker runs (the worker's text for a
 * product, so a catalogue hit equals what the device would compute), fits the PCA basis, and
 * writes the folder the collector serves: manifest, item shards, basis, compact item vectors.
 */
export async function importCatalogue(o: ImportOptions): Promise<CatalogueManifest> {
  const log = o.log ?? (() => {});
  const modelId = o.modelId ?? 'use-lite';
  const root = o.modelsRoot ?? DEFAULT_MODELS_ROOT;
  const parsed = parseItems(await readFile(o.itemsPath, 'utf8'));
  const items = o.limit ? parsed.items.slice(0, o.limit) : parsed.items;
  if (items.length < 2) throw new Error(`${o.itemsPath}: need at least 2 items, found ${items.length}`);
  log(`${items.length} items (${parsed.skipped} lines skipped); embedding with ${modelId}`);
  const encoder = await loadEncoder({ baseUrl: root, modelId, device: 'cpu', source: fileSource(root) });
  const started = Date.now();
  // The worker's text for an event about the item (whitespace collapsed, PII scrubbed), not the bare
  // productText: a vector of any other string is not the one the device would compute.
  const texts = items.map((it) => itemText(it));
  const vectors = await encoder.embed(texts);
  const guard = await sensitiveGuard(encoder);
  // Interest labels for explain() on a device without the model: every category path and its top level.
  const labels = [
    ...new Set(items.flatMap((it) => (it.category ? [it.category, it.category.split('>')[0]?.trim() ?? ''] : []))),
  ].filter((l) => l && new TextEncoder().encode(l).length <= 255);
  const labelVectors = labels.length ? await encoder.embed(labels) : [];
  await encoder.dispose();
  log(`embedded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  let previous = 1;
  try {
    previous = (JSON.parse(await readFile(join(o.outDir, 'manifest.json'), 'utf8')) as CatalogueManifest).basisVersion;
  } catch {
    // First import: the default basis is version 1, so this one is 2.
  }
  const dim = Math.min(o.dim ?? 64, encoder.dim);
  const fit = fitPca(vectors, dim, o.basisVersion ?? Math.min(0xffff, Math.max(1, previous) + 1));
  log(`basis v${fit.basis.version}: ${dim} components keep ${(fit.varianceKept * 100).toFixed(1)} % of the variance`);

  const shards = shardCount(
    items.map((it) => it.id),
    // As many shards as keep 64 items in each (shardCount lowers it until they do): a shard, and
    // so a first visit, stays tens of KB (256 per shard made 128-150 KB shards on 3,659 items).
    o.shards ?? Math.ceil(items.length / 64),
    o.minShardItems ?? 64,
  );
  // Shards are served as immutable: the version names everything their bytes depend on (the
  // items and the text rendered for each), so a change in either is a new URL, never a stale hit.
  const content = items.map((it, i) => `${it.id}\u0000${texts[i]}`).join('\n');
  const contentVersion = `${modelId}-b${fit.basis.version}-${(fnv1a32(content) >>> 0).toString(16)}`;
  const signals = o.ordersPath ? await readSignals(o.ordersPath, items, o.signalParams, log) : undefined;
  // The signals are part of the shards' bytes, so of their immutable version too.
  const version = signals ? `${contentVersion}-s${(fnv1a32(signals.digest) >>> 0).toString(16)}` : contentVersion;
  const tmp = `${o.outDir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, version), { recursive: true });
  const byShard: { id: string; vector: Float32Array; flags: number; signals?: ShardSignals }[][] = Array.from(
    { length: shards },
    () => [],
  );
  let sensitive = 0;
  for (const [i, it] of items.entries()) {
    const vector = vectors[i] as Float32Array;
    // The same decision the worker's guard makes, so a device without the model never folds it.
    const flagged = sensitiveTopic(vector, guard.topics, guard.threshold) !== undefined;
    if (flagged) sensitive++;
    const sig = signals?.byItem.get(it.id);
    byShard[shardOf(it.id, shards)]?.push({
      id: it.id,
      vector,
      flags: flagged ? SHARD_FLAGS.sensitive : 0,
      ...(sig ? { signals: sig } : {}),
    });
  }
  let shardBytes = 0;
  for (const [n, records] of byShard.entries()) {
    const bytes = encodeShard(records, encoder.dim);
    shardBytes += bytes.length;
    await writeFile(join(tmp, version, `${n}.bin`), bytes);
  }
  log(`shards: ${shardBytes} bytes, ${(shardBytes / items.length).toFixed(0)} bytes per item`);
  const compact = items.map((it, i) => ({ id: it.id, vector: project(fit.basis, vectors[i] as Float32Array) }));
  await writeFile(join(tmp, 'compact.bin'), encodeShard(compact, dim));
  await writeFile(
    join(tmp, 'basis.bin'),
    encodeBasisFile({ basis: fit.basis, modelHash: fnv1a32(modelId), varianceKept: fit.varianceKept }),
  );
  await writeFile(
    join(tmp, version, 'labels.bin'),
    encodeShard(
      labels.map((id, i) => ({ id, vector: labelVectors[i] as Float32Array })),
      encoder.dim,
    ),
  );
  await writeFile(join(tmp, 'items.json'), JSON.stringify(items.map(({ id, title }) => ({ id, title }))));
  const manifest: CatalogueManifest = {
    modelId,
    dim: encoder.dim,
    shards,
    version,
    basisVersion: fit.basis.version,
    compactDim: dim,
    items: items.length,
    varianceKept: fit.varianceKept,
    guard: { topicsHash: topicsHash(SENSITIVE_TOPICS), threshold: guard.threshold, sensitive },
    labels: labels.length,
    ...(signals
      ? {
          signals: { ...signals.stats, params: signals.params },
          popular: signals.popular,
          ...(signals.repeatShare !== undefined ? { repeatShare: signals.repeatShare } : {}),
        }
      : {}),
  };
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
  // Swap the whole folder so a running collector never reads a half-written catalogue.
  await rm(`${o.outDir}.old`, { recursive: true, force: true });
  await rename(o.outDir, `${o.outDir}.old`).catch(() => {});
  await rename(tmp, o.outDir);
  await rm(`${o.outDir}.old`, { recursive: true, force: true });
  return manifest;
}

async function readSignals(
  path: string,
  items: readonly CatalogueItem[],
  params: Partial<SignalParams> | undefined,
  log: (line: string) => void,
) {
  const parsed = parseOrderLines(await readFile(path, 'utf8'));
  const built = catalogueSignals(
    items.map((it) => it.id),
    parsed.lines,
    params,
  );
  log(
    `orders: ${parsed.lines.length} lines (${parsed.skipped} skipped), ${built.stats.orders} orders; ` +
      `${built.stats.withNeighbours} items with neighbours; repeat share ${built.repeatShare ?? 'none (no customer or session key)'}`,
  );
  return { ...built, stats: { ...built.stats, lines: parsed.lines.length, skipped: parsed.skipped } };
}

/** How many ids the manifest lists as the catalogue's popular items (the "for you" prior's candidates). */
export const POPULAR_IDS = 24;

/**
 * Per catalogue item, the signals its shard record carries: neighbours outside the catalogue
 * dropped (a device could not show them), popularity on the log scale of the catalogue's most
 * popular item. Also the most popular ids (recent first, then all-time) for the manifest.
 */
export function catalogueSignals(
  ids: readonly string[],
  lines: readonly OrderLine[],
  params: Partial<SignalParams> = {},
): {
  byItem: Map<string, ShardSignals>;
  popular: string[];
  /** The shop's repeat share, to two decimals (undefined when no line had a customer or session key). */
  repeatShare: number | undefined;
  params: SignalParams;
  digest: string;
  stats: { orders: number; withNeighbours: number };
} {
  const full = { ...DEFAULT_SIGNAL_PARAMS, ...params };
  const known = new Set(ids);
  const { items: built, repeatShare } = buildShopSignals(
    lines.filter((l) => known.has(l.item)),
    { params: full },
  );
  const orders = new Set(lines.filter((l) => known.has(l.item)).map((l) => l.order)).size;
  let maxPop = 0;
  let maxRecent = 0;
  for (const s of built.values()) {
    maxPop = Math.max(maxPop, s.popularity);
    maxRecent = Math.max(maxRecent, s.recentPopularity);
  }
  const scale = (n: number, max: number) => (n > 0 && max > 0 ? Math.log1p(n) / Math.log1p(max) : 0);
  const byItem = new Map<string, ShardSignals>();
  let withNeighbours = 0;
  for (const id of ids) {
    const s = built.get(id);
    if (!s) continue;
    const strip = (ns: typeof s.next) => ns.map(({ id, weight }) => ({ id, weight }));
    const sig: ShardSignals = {
      popularity: scale(s.popularity, maxPop),
      recentPopularity: scale(s.recentPopularity, maxRecent),
      next: strip(s.next),
      together: strip(s.together),
    };
    if (sig.next.length || sig.together.length) withNeighbours++;
    byItem.set(id, sig);
  }
  const popular = [...built]
    .sort(
      ([a, x], [b, y]) =>
        y.recentPopularity - x.recentPopularity || y.popularity - x.popularity || (a < b ? -1 : a > b ? 1 : 0),
    )
    .slice(0, POPULAR_IDS)
    .map(([id]) => id);
  const digest = JSON.stringify([full, popular, repeatShare, [...byItem]]);
  return { byItem, popular, repeatShare, params: full, digest, stats: { orders, withNeighbours } };
}

async function sensitiveGuard(encoder: { embed(t: readonly string[]): Promise<Float32Array[]> }) {
  const vectors = await encoder.embed(SENSITIVE_TOPICS);
  const topics = SENSITIVE_TOPICS.map((label, i) => ({ label, vector: vectors[i] as Float32Array }));
  const threshold = calibratedThreshold(topics, await encoder.embed(NEUTRAL_ANCHORS), SENSITIVE_THRESHOLD);
  return { topics, threshold };
}

/**
 * At most `wanted` shards, fewer until every shard holds at least `minItems` items: a device's
 * request for a shard then says only that the item is one of those (one shard for a small catalogue).
 */
export function shardCount(ids: readonly string[], wanted: number, minItems: number): number {
  for (let n = Math.max(1, Math.floor(wanted)); n > 1; n--) {
    const sizes = new Array<number>(n).fill(0);
    for (const id of ids) sizes[shardOf(id, n)] = (sizes[shardOf(id, n)] ?? 0) + 1;
    if (Math.min(...sizes) >= minItems) return n;
  }
  return 1;
}
