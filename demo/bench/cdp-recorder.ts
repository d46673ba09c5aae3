import type { CDPSession, Page } from '@playwright/test';
import { type CpuProfile, type Kind, kindOf, wireBytes } from './first-visit-stats.ts';

/** One finished request (page or worker): what it was for, its bytes on the wire, when it started and ended (epoch ms). */
export interface Transfer {
  url: string;
  kind: Kind;
  bytes: number;
  startMs: number;
  endMs: number;
}

/** A network throttle as CDP's Network.emulateNetworkConditions takes it. */
export interface Throttle {
  latencyMs: number;
  bitsPerSecond: number;
}

type CdpMessage = { id?: number; result?: unknown };

/**
 * Records every request of a page and of the engine's worker, optionally throttles both and
 * samples the worker's CPU.
 *
 * Bytes are CDP's `encodedDataLength` as Playwright reports it per request (`request.sizes()`):
 * Playwright's own CDP sessions attach to the worker before it runs, where a page CDP session
 * never sees a dedicated worker's requests and a second worker session would miss its first ones.
 * The throttle (Network.emulateNetworkConditions on the page's CDP session) applies to the page's
 * dedicated worker too (measured: the model's download time matches the throttled rate).
 */
export async function recordPage(page: Page, opts: { throttle?: Throttle; profileWorker?: boolean } = {}) {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const transfers: Transfer[] = [];
  const workers: string[] = [];
  const replies = new Map<number, (result: unknown) => void>();
  let nextId = 0;

  page.context().on('requestfinished', async (req) => {
    const url = req.url();
    if (!url.startsWith('http')) return;
    try {
      const [sizes, response, headers] = await Promise.all([req.sizes(), req.response(), req.allHeaders()]);
      const t = req.timing();
      const length = response?.headers()['content-length'];
      transfers.push({
        url,
        kind: kindOf(url),
        bytes: wireBytes({
          headers: sizes.responseHeadersSize,
          body: sizes.responseBodySize,
          ...(length !== undefined ? { contentLength: Number(length) } : {}),
          revalidated: 'if-none-match' in headers || 'if-modified-since' in headers,
        }),
        startMs: t.startTime,
        endMs: t.responseEnd >= 0 ? t.startTime + t.responseEnd : Date.now(),
      });
    } catch {
      // The context closed under it: the run is over.
    }
  });

  const conditions = (t: Throttle) => ({
    offline: false,
    latency: t.latencyMs,
    downloadThroughput: t.bitsPerSecond / 8,
    uploadThroughput: t.bitsPerSecond / 8,
  });
  // A message to an attached worker (CDP's non-flat sessions: Playwright keeps the flat ones to itself).
  const toWorker = (sessionId: string, method: string, params: Record<string, unknown> = {}) => {
    const id = ++nextId;
    const reply = new Promise<unknown>((resolve) => replies.set(id, resolve));
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    return reply;
  };

  cdp.on('Target.attachedToTarget', async (e) => {
    const sessionId = e.sessionId;
    if (e.targetInfo.type !== 'worker') {
      await cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: ++nextId, method: 'Runtime.runIfWaitingForDebugger' }),
      });
      return;
    }
    workers.push(sessionId);
    try {
      await toWorker(sessionId, 'Profiler.enable');
      await toWorker(sessionId, 'Profiler.start');
    } finally {
      void toWorker(sessionId, 'Runtime.runIfWaitingForDebugger');
    }
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as CdpMessage;
    if (m.id !== undefined) {
      replies.get(m.id)?.(m.result);
      replies.delete(m.id);
    }
  });
  await cdp.send('Network.enable');
  if (opts.throttle) await cdp.send('Network.emulateNetworkConditions', conditions(opts.throttle));
  // Paused at start until its profiler runs (Playwright's own session may resume it a moment sooner).
  if (opts.profileWorker)
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });

  return {
    transfers,
    /** Busy ms of the newest worker's thread since it started (stops its profiler). */
    async workerCpuMs(busy: (p: CpuProfile) => number): Promise<number | undefined> {
      const sessionId = workers.at(-1);
      if (!sessionId) return undefined;
      const r = (await Promise.race([
        toWorker(sessionId, 'Profiler.stop'),
        new Promise((resolve) => setTimeout(resolve, 10_000)),
      ])) as { profile?: CpuProfile } | undefined;
      return r?.profile ? busy(r.profile) : undefined;
    },
  };
}
