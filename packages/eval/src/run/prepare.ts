import { DESCRIPTION_CHARS, eventText, eventWeight, fitPca, itemText, project, seededRandom } from '@portrait/core';
import type { Dataset } from '../data/types.ts';
import { type CacheStats, embedCached } from '../embed/embedding-cache.ts';
import { type ImportedVectors, importHashMatches } from '../embed/imported-vectors.ts';
import type { TextEmbedder } from '../embed/text-embedder.ts';
import type { ConfigSet } from '../recommenders/configs.ts';
import { catalogueOf } from './catalogue.ts';
import type { EvalContext, UserHistory } from './context.ts';
import { ordersOf } from './order-signals.ts';
import { Popularity } from './popularity.ts';
import { shuffled } from './shuffle.ts';
import { toPortraitEvent, userSteps } from './user-steps.ts';

/** Options of `prepare`. */
export interface PrepareOptions {
  cacheDir: string;
  maxUsers?: number;
  seed: number;
  configs: ConfigSet;
  /** Item vectors from a collector import, used instead of embedding the items' texts (as the worker does). */
  itemVectors?: ImportedVectors;
  /** Characters of each item's description in its text, as core's `DESCRIPTION_CHARS` is on the device. */
  descriptionChars?: number;
}

/** Where the run's item vectors came from, for the report. */
export interface ItemVectorSource {
  /** The import's folder and manifest version. */
  dir: string;
  version: string;
  /** Catalogue items whose vector came from the import / had to be embedded (absent from it). */
  fromImport: number;
  embedded: number;
  /** The import embedded exactly this data set's items with the texts the engine would embed. */
  textsMatch: boolean;
  /** Items the import flagged as near a sensitive topic (the eval folds them anyway, as with its own vectors). */
  sensitive: number;
}

// The catalogue is ranked by what a view of the item would embed: the engine's own event text.
function catalogueText(ds: Dataset, i: number, descriptionChars: number): string {
  const p = toPortraitEvent({ user: '', item: i, ts: 1, type: 'view', seq: 0 }, ds).product ?? { id: '' };
  return itemText(p, descriptionChars);
}

// The collector import's default basis size (its `--dim`).
const COLLECTOR_BASIS_DIM = 64;

// Cosines over the catalogue matrix assume unit rows; dequantized int8 rows are a hair off.
function unitCopy(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  return v.map((x) => x * inv);
}

/**
 * Everything a run needs: the sampled users' histories (as steps), the embedded catalogue (through
 * the on-disk cache), popularity and the order log over all events of the data set, and a seeded
 * tie order.
 */
export async function prepare(
  ds: Dataset,
  embedder: TextEmbedder,
  o: PrepareOptions,
): Promise<{ ctx: EvalContext; histories: UserHistory[]; cache: CacheStats; itemVectors?: ItemVectorSource }> {
  const iv = o.itemVectors;
  // A folder made with another model is ignored by the worker; here it is a mistake worth stopping on.
  if (iv && (!embedder.id.startsWith(`${iv.modelId}@`) || iv.dim !== embedder.dim)) {
    throw new Error(
      `${iv.dir}: vectors of ${iv.modelId} (dimension ${iv.dim}), the eval runs ${embedder.id} (${embedder.dim})`,
    );
  }
  const users = [...new Set(ds.events.map((e) => e.user))];
  const sample = new Set(shuffled(users, o.seed).slice(0, o.maxUsers ?? users.length));
  const dc = o.descriptionChars ?? DESCRIPTION_CHARS;
  const catalogueTexts = ds.items.map((_, i) => catalogueText(ds, i, dc));
  // The worker folds an event about a catalogue item from the published vector, looked up by the
  // item's id; only items the import lacks are embedded from their text.
  const imported = ds.items.map((it) => iv?.vectors.get(it.id));
  const eventTexts = new Map<number, string | undefined>();
  for (const e of ds.events) {
    if (sample.has(e.user) && !imported[e.item]) eventTexts.set(e.seq, eventText(toPortraitEvent(e, ds), dc));
  }
  const texts = [
    ...catalogueTexts.filter((_, i) => !imported[i]),
    ...[...eventTexts.values()].filter((t): t is string => t !== undefined),
  ];
  const { vectors, stats } = await embedCached(embedder, texts, o.cacheDir);
  const byText = new Map(texts.map((t, i) => [t, vectors[i] as Float32Array]));
  const sampled = { ...ds, events: ds.events.filter((e) => sample.has(e.user)) };
  const steps = userSteps(sampled, (e) => {
    // Folded as decoded, as the worker hands a catalogue hit to the engine (which normalises it).
    const hit = imported[e.item];
    if (hit) return hit;
    const t = eventTexts.get(e.seq);
    return t === undefined ? undefined : byText.get(t);
  });
  const histories = [...steps].map(([user, s]) => ({ user, steps: s }));
  const rand = seededRandom(o.seed ^ 0x71e);
  const positive = (e: Dataset['events'][number]) => eventWeight(toPortraitEvent(e, ds)) > 0;
  const rows = catalogueTexts.map((t, i) => {
    const hit = imported[i];
    return hit ? unitCopy(hit) : (byText.get(t) as Float32Array);
  });
  // As `portrait-collector import` fits it: 64 components over the catalogue's item vectors.
  const basis = fitPca(rows, Math.min(COLLECTOR_BASIS_DIM, embedder.dim), 2).basis;
  const ctx: EvalContext = {
    modelId: embedder.id,
    catalogue: catalogueOf(rows, embedder.dim),
    compact: { basis, items: rows.map((v) => project(basis, v)) },
    popularity: new Popularity(ds.events, ds.items.length, positive),
    tiebreak: Float64Array.from(ds.items, () => rand()),
    configs: o.configs,
    // All users' events, not only the sampled ones: the merchant's log holds every shopper.
    orders: ordersOf(ds.events.filter(positive)),
  };
  if (!iv) return { ctx, histories, cache: stats };
  const fromImport = imported.filter((v) => v !== undefined).length;
  const itemVectors: ItemVectorSource = {
    dir: iv.dir,
    version: iv.version,
    fromImport,
    embedded: ds.items.length - fromImport,
    textsMatch: importHashMatches(
      iv,
      ds.items.map((it, i) => ({ id: it.id, text: catalogueTexts[i] as string })),
    ),
    sensitive: ds.items.filter((it) => iv.sensitive.has(it.id)).length,
  };
  return { ctx, histories, cache: stats, itemVectors };
}
