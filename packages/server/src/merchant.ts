import { decodePayload, decodeShard, PAYLOAD_FLAGS, project } from '@portrait/core';
import type { Catalogue } from './catalogue.ts';

/**
 * The aggregate counters a device may add to (POST /v1/aggregate): no id, no time, no page,
 * only "one more of these". Each is a milestone a device reports once (its 1st/3rd/5th page,
 * and whether a profile existed by then) or a batch of holdout impressions and clicks.
 */
export const AGGREGATE_COUNTERS = [
  'pages1',
  'pages1Profile',
  'pages3',
  'pages3Profile',
  'pages5',
  'pages5Profile',
  'onImpressions',
  'onClicks',
  'offImpressions',
  'offClicks',
] as const;
export type AggregateCounter = (typeof AGGREGATE_COUNTERS)[number];
/** Most a single report may add to one counter: a device batches a page's worth, not a flood. */
export const AGGREGATE_MAX_STEP = 100;

/** Parses an aggregate report; anything but known counters with small non-negative integers is refused. */
export function parseAggregate(body: unknown): Partial<Record<AggregateCounter, number>> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const out: Partial<Record<AggregateCounter, number>> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!(AGGREGATE_COUNTERS as readonly string[]).includes(k)) return undefined;
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > AGGREGATE_MAX_STEP) return undefined;
    out[k as AggregateCounter] = v as number;
  }
  // A click without its impression would let one report push a click-through over 100 %.
  if ((out.onClicks ?? 0) > (out.onImpressions ?? 0) || (out.offClicks ?? 0) > (out.offImpressions ?? 0))
    return undefined;
  return out;
}

/** Every counter with its stored sum, 0 for one nobody reported yet. */
export function aggregateTotals(stored: Partial<Record<AggregateCounter, number>>): Record<AggregateCounter, number> {
  return Object.fromEntries(AGGREGATE_COUNTERS.map((k) => [k, stored[k] ?? 0])) as Record<AggregateCounter, number>;
}

const MINUTES = 30;

/**
 * Sync outcomes per minute over the last half hour and bytes accepted, in this process's memory.
 * The aggregate counters are not here: they live in the store, shared by every collector.
 */
export function createMerchantStats(now: () => number = Date.now) {
  // minute -> [ok, errors, rateLimited]
  const minutes = new Map<number, [number, number, number]>();
  let bytesAccepted = 0;
  let syncsAccepted = 0;
  let erasures = 0;
  const minute = (t = now()) => Math.floor(t / 60_000);
  return {
    /** One POST /v1/profile answered with `status`. */
    sync(status: number) {
      const m = minute();
      const row = minutes.get(m) ?? [0, 0, 0];
      if (status < 300) row[0]++;
      else if (status === 429) row[2]++;
      else row[1]++;
      minutes.set(m, row);
      for (const k of minutes.keys()) if (k <= m - MINUTES) minutes.delete(k);
    },
    /** An accepted sync's payload, `bytes` long. */
    accepted(bytes: number) {
      bytesAccepted += bytes;
      syncsAccepted++;
    },
    erased() {
      erasures++;
    },
    snapshot() {
      const t = now();
      const m = minute(t);
      const series = Array.from({ length: MINUTES }, (_, i) => {
        const row = minutes.get(m - MINUTES + 1 + i) ?? [0, 0, 0];
        return { ok: row[0], errors: row[1], rateLimited: row[2] };
      });
      // Accepted syncs in the 60 s before now, estimated from the minute counts: this minute's,
      // plus the previous minute's in the share of it still inside the window (as if spread
      // evenly). The calendar minute alone reads 0 for a busy shop a second after it turns.
      const elapsed = (t - m * 60_000) / 60_000;
      const lastMinute = Math.round((minutes.get(m)?.[0] ?? 0) + (minutes.get(m - 1)?.[0] ?? 0) * (1 - elapsed));
      return { series, lastMinute, bytesAccepted, syncsAccepted, erasures };
    },
  };
}

/** A department's name from a category path label: the path without its leaf ("Home > Coffee > Grinders" → "Home > Coffee"). */
const audienceName = (label: string) => {
  const parts = label.split('>').map((p) => p.trim());
  return parts.length > 1 ? parts.slice(0, -1).join(' > ') : (parts[0] as string);
};

/** The published category labels in the compact space, one list per catalogue (computed once). */
export async function audienceLabels(cat: Catalogue): Promise<{ name: string; vector: Float32Array }[]> {
  const bytes = cat.manifest ? await cat.labels(cat.manifest.version) : undefined;
  if (!bytes) return [];
  const decoded = decodeShard(bytes);
  if (!decoded.ok) return [];
  const all = [...decoded.vectors].filter(([, v]) => v.length === cat.basis.basis.inDim);
  // Leaf paths name departments; a bare top level ("Home") would swallow them all.
  const paths = all.filter(([id]) => id.includes('>'));
  return (paths.length ? paths : all).map(([id, v]) => ({
    name: audienceName(id),
    vector: project(cat.basis.basis, v),
  }));
}

function cosine(a: Float32Array, b: Float32Array): number {
  const d = Math.min(a.length, b.length);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < d; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Audience sizes with k-anonymity: each live profile counts once, in the department its
 * long-term vector is closest to (segments-only payloads in each segment they name). Only
 * audiences of at least `k` devices are returned, and their sizes are rounded down to a
 * multiple of 5, so one device joining or leaving a large audience rarely shows either.
 * What is hidden is not summed anywhere: a total minus the shown would reveal it.
 */
export function audienceSizes(
  payloads: readonly Uint8Array[],
  labels: readonly { name: string; vector: Float32Array }[],
  basisVersion: number,
  k: number,
): { name: string; devices: number }[] {
  const counts = new Map<string, number>();
  for (const bytes of payloads) {
    const d = decodePayload(bytes);
    if (!d.ok) continue;
    const names =
      d.payload.flags & PAYLOAD_FLAGS.segments
        ? d.payload.segments.map((s) => `segment ${s}`)
        : bestLabel(d.payload.vectors[0], labels, d.payload.basisVersion === basisVersion);
    for (const n of new Set(names)) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const floor = Math.max(1, k);
  return [...counts]
    .filter(([, n]) => n >= floor)
    .map(([name, n]) => ({ name, devices: Math.max(floor, Math.floor(n / 5) * 5) }))
    .sort((a, b) => b.devices - a.devices || a.name.localeCompare(b.name));
}

function bestLabel(
  long: Float32Array | undefined,
  labels: readonly { name: string; vector: Float32Array }[],
  sameBasis: boolean,
): string[] {
  // A vector on the random projection (basis 0) cannot be compared with the PCA labels.
  if (!long || !sameBasis || labels.length === 0) return [];
  let best = labels[0] as { name: string };
  let score = -2;
  for (const l of labels) {
    const s = cosine(long, l.vector);
    if (s > score) {
      score = s;
      best = l;
    }
  }
  return [best.name];
}

/** Click-through per arm and the difference, with a two-proportion z score (|z| > 1.96 ≈ 95 %). */
export function holdoutComparison(c: Record<AggregateCounter, number>) {
  const rate = (clicks: number, imps: number) => (imps > 0 ? clicks / imps : 0);
  const on = { impressions: c.onImpressions, clicks: c.onClicks, ctr: rate(c.onClicks, c.onImpressions) };
  const off = { impressions: c.offImpressions, clicks: c.offClicks, ctr: rate(c.offClicks, c.offImpressions) };
  const pooled = rate(on.clicks + off.clicks, on.impressions + off.impressions);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / (on.impressions || 1) + 1 / (off.impressions || 1)));
  const z = se > 0 && on.impressions > 0 && off.impressions > 0 ? (on.ctr - off.ctr) / se : 0;
  const lift = off.ctr > 0 ? on.ctr / off.ctr - 1 : 0;
  return { on, off, lift, z };
}
