import {
  type Basis,
  cosine,
  DEFAULT_LAYOUT,
  type Logger,
  type ProfileState,
  privatizeRisk,
  privatizeSegments,
  randomProjectionBasis,
  releaseShare,
} from '@portrait/core';
import type { ForgetResult, ResolvedConfig, Result } from '../engine-types.ts';
import type { Embedder } from '../model/embedder.ts';
import { settle } from '../op-queue.ts';
import { META } from '../store/meta-keys.ts';
import type { Store } from '../store/types.ts';
import { createBasisSource } from './basis.ts';
import { configuredBudget, enterEpoch, mayRelease, spendRelease } from './epoch.ts';
import { pendingErasures, savePendingErasures, sendErasures } from './erasure.ts';
import { flushOutbox, freshSendState, nextSendAt, queueSync, type SyncReport } from './outbox.ts';
import { createFlushScheduler } from './scheduler.ts';
import { createSegmentVectors, memberships, observeSessionRisk } from './signals.ts';

// A shopper clicking through products moves a young profile on every event: send at most every 10 s.
const SYNC_MIN_INTERVAL_MS = 10_000;

export interface SyncDeps {
  config: () => ResolvedConfig;
  store: () => Store<ProfileState> | undefined;
  log: () => Logger;
  /** The loaded model, for segment texts; segments-only syncs wait for it. */
  embedder: () => Embedder | undefined;
  /** Settles once init has opened storage: a send queued before that waits for it. */
  storeOpened: () => Promise<unknown>;
}

/**
 * When and what to sync, in one place: the projection basis, the decision to queue a payload
 * after a fold, the outbox sends (one at a time), their retry timer, and erasure.
 */
export function createSyncController(d: SyncDeps) {
  const publishedBasis = createBasisSource(d.log);
  const segmentVectors = createSegmentVectors();
  const sendState = freshSendState();
  const scheduler = createFlushScheduler(() => send(false));
  let basis: Basis | undefined;
  let lastSynced: { vector: Float32Array; at: number } | undefined;
  let lastReport: SyncReport | undefined;
  // Sends run on their own chain, not the engine's op chain: a collector that takes 10 s to
  // answer must not hold up folds, status() or the page's other calls. Sends stay one at a time,
  // so the outbox's backoff bookkeeping never races itself.
  let sending: Promise<unknown> = Promise.resolve();

  /** The collector's PCA basis once fetched (cached for offline starts), else a random projection. */
  async function basisFor(store: Store<ProfileState>, url: string, profile: ProfileState, now?: number) {
    const published = await publishedBasis(store, url, profile.modelId, profile.dim, now);
    const next =
      published ??
      (basis && basis.inDim === profile.dim && basis.version === 0
        ? basis
        : randomProjectionBasis(profile.dim, d.config().syncDim));
    // Vectors in another basis are not comparable: sync afresh.
    if (basis && next.version !== basis.version) lastSynced = undefined;
    basis = next;
    return next;
  }

  let loaded = false;
  // The last post time comes from the store once: a new page must not send sooner than the
  // minimum interval after the previous page did.
  async function loadSendState(store: Store<ProfileState>) {
    if (loaded) return;
    loaded = true;
    const at = Number(await store.getMeta(META.syncLastPostAt));
    if (Number.isFinite(at) && at > sendState.lastPostAt) sendState.lastPostAt = at;
  }

  function send(force: boolean): Promise<Result<void>> {
    const run = sending.then(d.storeOpened).then(() => settle('worker/flush', () => sendDue(force), d.log));
    sending = run;
    return run;
  }

  // Sends the erasures and then the outbox entries that are due (everything, when forced: back
  // online, page leaving); one timer covers whichever is due first.
  async function sendDue(force: boolean) {
    const store = d.store();
    const url = d.config().collectorUrl;
    if (!url || !store) return;
    await loadSendState(store);
    const erasures = await sendErasures(store, url, Date.now(), d.log(), force);
    const postedBefore = sendState.lastPostAt;
    const result = await flushOutbox(store, url, sendState, Date.now(), d.log(), force);
    if (sendState.lastPostAt !== postedBefore) await store.setMeta(META.syncLastPostAt, String(sendState.lastPostAt));
    lastReport = result.reports.at(-1) ?? lastReport;
    // A rotated id starts with a fresh sync of the current profile on the next fold.
    if (result.rotated) lastSynced = undefined;
    for (const at of [erasures.retryAt, result.retryAt]) scheduler.at(at);
  }

  // What the payload carries about the session, within this release's share of the DP budget.
  async function signals(profile: ProfileState, risk: number) {
    const config = d.config();
    const budget = configuredBudget(config.dp);
    const embedder = d.embedder();
    let segments =
      config.syncMode === 'segments' && embedder
        ? memberships(
            profile,
            await segmentVectors(config.segments ?? [], embedder.modelId, (t) => embedder.embed(t)),
            config.segmentThreshold,
          ).map((m) => m.id)
        : undefined;
    if (!budget) return { risk, segments, dp: undefined };
    const share = releaseShare(budget);
    // In segments mode no vector is sent, so the segments take the vectors' share.
    if (segments) segments = privatizeSegments(segments, config.segments?.length ?? 0, share.vectors.epsilon);
    return { risk: privatizeRisk(risk, share.rr), segments, dp: share.vectors };
  }

  return {
    /** The last delivery attempt, for status(). */
    get lastReport(): SyncReport | undefined {
      return lastReport;
    },

    basisFor,

    /** After a fold: queue a payload if the profile moved enough (or went stale), then send what is due. */
    async afterFold(profile: ProfileState | undefined): Promise<void> {
      const store = d.store();
      const config = d.config();
      if (!config.collectorUrl || !store || !profile || profile.count === 0) return;
      const now = Date.now();
      await loadSendState(store);
      // A new epoch is a new id, whose first payload is this profile afresh (and freshly noised).
      if (await enterEpoch(store, now, config.epochDays)) lastSynced = undefined;
      const b = await basisFor(store, config.collectorUrl, profile, now);
      const moved = !lastSynced || 1 - cosine(lastSynced.vector, profile.long) >= config.syncMinDistance;
      const stale = lastSynced && now - lastSynced.at >= config.syncMaxIntervalMs && profile.updatedAt > lastSynced.at;
      // Every fold is one observation of the session against the owner's history.
      const risk = await observeSessionRisk(store, profile);
      const budget = configuredBudget(config.dp);
      if ((moved || stale) && (!budget || (await mayRelease(store, budget, now, config.epochDays)))) {
        const layout = { ...DEFAULT_LAYOUT, longDim: config.syncDim, ...config.syncLayout };
        const notBefore = nextSendAt(sendState, config.syncMinIntervalMs ?? SYNC_MIN_INTERVAL_MS, now);
        // Counted when queued, not when sent: a payload replaced before it left cost nothing, but
        // counting it keeps the bound simple and on the safe side.
        if (budget) await spendRelease(store, now);
        await queueSync(store, b, profile, now, { layout, ...(await signals(profile, risk)), notBefore });
        lastSynced = { vector: profile.long, at: now };
      }
      void send(false);
      scheduler.hookOnline();
    },

    /** A new worker: erasures an earlier page left unconfirmed are retried now, not at the next fold. */
    async resume(): Promise<void> {
      const store = d.store();
      if (store && d.config().collectorUrl && (await pendingErasures(store)).length) void send(false);
    },

    /** Sends what is due now, ignoring backoff (the page asked, or the network came back). */
    send,

    /** The merchant's segments this profile belongs to (embedded on the device). */
    async segments(profile: ProfileState, embedder: Embedder) {
      const config = d.config();
      if (!config.segments?.length) return [];
      const vectors = await segmentVectors(config.segments, embedder.modelId, (t) => embedder.embed(t));
      return memberships(profile, vectors, config.segmentThreshold);
    },

    /**
     * Forgets this device at the collector after `wipe` cleared it here. The erasure (id and
     * token) survives the wipe and is retried until the collector confirms it. A send in flight
     * would store its token after the wipe, tying the new id to the old one: it is waited for.
     */
    async forget(store: Store<ProfileState>, wipe: () => Promise<void>): Promise<ForgetResult['collector']> {
      await sending;
      const pseudoId = await store.getMeta(META.pseudoId);
      const token = await store.getMeta(META.syncToken);
      const earlier = await pendingErasures(store);
      await wipe();
      scheduler.cancel();
      lastSynced = undefined;
      lastReport = undefined;
      const mine = pseudoId && token ? [{ id: pseudoId, token, attempts: 0, notBefore: 0 }] : [];
      if (earlier.length + mine.length) await savePendingErasures(store, [...earlier, ...mine]);
      if (!d.config().collectorUrl || mine.length === 0) return 'not-synced';
      await send(true);
      return (await pendingErasures(store)).some((e) => e.id === pseudoId) ? 'pending' : 'erased';
    },
  };
}

export type SyncController = ReturnType<typeof createSyncController>;
