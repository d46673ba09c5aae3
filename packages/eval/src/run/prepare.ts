import { eventText, eventWeight, type PortraitEvent, seededRandom } from '@portrait/core';
import type { Dataset } from '../data/types.ts';
import { type CacheStats, embedCached } from '../embed/embedding-cache.ts';
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
}

// The catalogue is ranked by what a view of the item would embed: the engine's own event text.
function itemText(ds: Dataset, i: number): string {
  const probe: PortraitEvent = toPortraitEvent({ user: '', item: i, ts: 1, type: 'view', seq: 0 }, ds);
  return eventText(probe) ?? (ds.items[i]?.id as string);
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
): Promise<{ ctx: EvalContext; histories: UserHistory[]; cache: CacheStats }> {
  const users = [...new Set(ds.events.map((e) => e.user))];
  const sample = new Set(shuffled(users, o.seed).slice(0, o.maxUsers ?? users.length));
  const catalogueTexts = ds.items.map((_, i) => itemText(ds, i));
  const eventTexts = new Map<number, string | undefined>();
  for (const e of ds.events) if (sample.has(e.user)) eventTexts.set(e.seq, eventText(toPortraitEvent(e, ds)));
  const texts = [...catalogueTexts, ...[...eventTexts.values()].filter((t): t is string => t !== undefined)];
  const { vectors, stats } = await embedCached(embedder, texts, o.cacheDir);
  const byText = new Map(texts.map((t, i) => [t, vectors[i] as Float32Array]));
  const sampled = { ...ds, events: ds.events.filter((e) => sample.has(e.user)) };
  const steps = userSteps(sampled, (e) => {
    const t = eventTexts.get(e.seq);
    return t === undefined ? undefined : byText.get(t);
  });
  const histories = [...steps].map(([user, s]) => ({ user, steps: s }));
  const rand = seededRandom(o.seed ^ 0x71e);
  const positive = (e: Dataset['events'][number]) => eventWeight(toPortraitEvent(e, ds)) > 0;
  const ctx: EvalContext = {
    modelId: embedder.id,
    catalogue: catalogueOf(
      catalogueTexts.map((t) => byText.get(t) as Float32Array),
      embedder.dim,
    ),
    popularity: new Popularity(ds.events, ds.items.length, positive),
    tiebreak: Float64Array.from(ds.items, () => rand()),
    configs: o.configs,
    // All users' events, not only the sampled ones: the merchant's log holds every shopper.
    orders: ordersOf(ds.events.filter(positive)),
  };
  return { ctx, histories, cache: stats };
}
