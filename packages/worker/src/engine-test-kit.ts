// What the engine's Node tests run it with: a fake model (bag-of-words vectors, no ONNX), a
// memory store that reports itself durable, a fixed device, and a collector stand-in. The real
// model, IndexedDB and worker run in the Chromium e2e suite.
import {
  encodeShard,
  type PortraitEvent,
  type ProfileState,
  productText,
  SENSITIVE_TOPICS,
  SHARD_FLAGS,
  type ShardSignals,
  topicsHash,
} from '@portrait/core';
import { vi } from 'vitest';
import type { EngineDeps } from './engine.ts';
import type { DownloadProgress } from './model/download-progress.ts';
import type { Embedder } from './model/embedder.ts';
import type { LoadModelFn } from './model/model-lifecycle.ts';
import type { RuntimeEnv } from './model/runtime-env.ts';
import { createMemoryStore } from './store/memory-store.ts';
import type { Store } from './store/types.ts';

export const DIM = 32;

/** Deterministic unit vectors: each word adds to one component, so shared words mean similar texts. */
export function bagOfWords(text: string): Float32Array {
  const v = new Float32Array(DIM);
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    const i = (h >>> 0) % DIM;
    v[i] = (v[i] ?? 0) + 1;
  }
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

export interface FakeModel {
  load: LoadModelFn;
  /** Texts the model embedded, in call order. */
  embedded: string[];
  /** Loads started. */
  loads: number;
  /** Makes every later inference fail as a lost GPU device does. */
  loseDevice(): void;
  /** The next `n` loads fail with a coded error, as a 404 on a model file does. */
  failLoads(n: number): void;
  /** Download progress every load reports before it resolves, as the real loader's reads do. */
  progress: DownloadProgress[];
}

export function fakeModel(modelId = 'fake-bow'): FakeModel {
  let lost = false;
  let failing = 0;
  const m: FakeModel = {
    embedded: [],
    loads: 0,
    progress: [],
    loseDevice: () => {
      lost = true;
    },
    failLoads: (n) => {
      failing = n;
    },
    load: async (_config, choice, onProgress) => {
      m.loads++;
      for (const p of m.progress) onProgress(p);
      if (failing > 0) {
        failing--;
        throw { code: 'model/not-found', message: `${modelId}/onnx/model_quantized.onnx: HTTP 404` };
      }
      const embedder: Embedder = {
        modelId,
        dim: DIM,
        backend: choice.backend,
        embed: async (texts) => {
          if (lost) throw { code: 'model/backend-failed', message: 'WebGPU inference failed: device lost' };
          m.embedded.push(...texts);
          return texts.map(bagOfWords);
        },
      };
      return { embedder, loadMs: 1, threads: choice.threads };
    },
  };
  return m;
}

export const device = (over: Partial<RuntimeEnv> = {}): RuntimeEnv =>
  Object.freeze({
    webgpu: null,
    crossOriginIsolated: false,
    cores: 2,
    deviceMemory: 8,
    saveData: false,
    effectiveType: '4g',
    indexedDB: true,
    locks: false,
    caches: false,
    ...over,
  });

/** A memory store standing in for IndexedDB (kind 'indexeddb'), shared by engines given the same one. */
export const durableStore = (): Store<ProfileState> => ({ ...createMemoryStore<ProfileState>(), kind: 'indexeddb' });

export function deps(model: FakeModel, store: Store<ProfileState>, env = device()): Partial<EngineDeps> {
  return {
    loadModel: model.load,
    detectRuntime: async () => env,
    openDurable: async () => store,
    baseUrl: () => 'https://shop.test/portrait/portrait-worker.js',
  };
}

let n = 0;
/** The product id `view(title)` uses. */
export const slug = (title: string) => title.toLowerCase().replace(/\W+/g, '-');
export const view = (title: string, over: Partial<PortraitEvent> = {}): PortraitEvent => ({
  id: `e${++n}-${Math.random().toString(36).slice(2, 8)}`,
  type: 'view',
  ts: Date.now(),
  product: { id: slug(title), title },
  ...over,
});

/** Polls `check` until it holds (real timers), failing after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface CollectorCall {
  method: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  credentials?: RequestCredentials | undefined;
  referrerPolicy?: ReferrerPolicy | undefined;
}

/** A merchant catalogue as the import publishes it, with the fake model's vectors. */
export interface FakeCatalogue {
  items: { id: string; title: string; sensitive?: boolean; signals?: ShardSignals }[];
  labels?: string[];
  /** The manifest's popular ids (an import that read an order log). */
  popular?: string[];
  /** The manifest's repeat share (unknown: a test may publish a bad one). */
  repeatShare?: unknown;
}

function catalogueFiles(c: FakeCatalogue): Map<string, Response> {
  const shard = encodeShard(
    c.items.map((it) => ({
      id: it.id,
      vector: bagOfWords(productText(it)),
      flags: it.sensitive ? SHARD_FLAGS.sensitive : 0,
      ...(it.signals ? { signals: it.signals } : {}),
    })),
    DIM,
  );
  const labels = encodeShard(
    (c.labels ?? []).map((l) => ({ id: l, vector: bagOfWords(l) })),
    DIM,
  );
  const manifest = {
    modelId: 'fake-bow',
    dim: DIM,
    shards: 1,
    version: 'v1',
    guard: { topicsHash: topicsHash(SENSITIVE_TOPICS), threshold: 0.5 },
    labels: c.labels?.length ?? 0,
    ...(c.popular ? { popular: c.popular } : {}),
    ...(c.repeatShare !== undefined ? { repeatShare: c.repeatShare } : {}),
  };
  return new Map([
    ['/v1/catalogue-vectors/manifest.json', Response.json(manifest)],
    ['/v1/catalogue-vectors/v1/0.bin', new Response(shard)],
    ['/v1/catalogue-vectors/v1/labels.bin', new Response(labels)],
  ]);
}

/**
 * A collector at https://collector.test answering POST /v1/profile with `answer()` (201 with a
 * token by default), DELETE with 204, and (given one) the catalogue's files; every call, to any
 * origin, is recorded.
 */
export function fakeCollector(
  answer: () => Response = () => Response.json({ token: 'tok-1' }, { status: 201 }),
  catalogue?: FakeCatalogue,
) {
  const calls: CollectorCall[] = [];
  const files = catalogue ? catalogueFiles(catalogue) : new Map<string, Response>();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: URL | string, init: RequestInit = {}) => {
      const url = new URL(String(input));
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const body = init.body instanceof Uint8Array ? new Uint8Array(init.body) : undefined;
      calls.push({
        method: init.method ?? 'GET',
        origin: url.origin,
        path: url.pathname,
        headers,
        body,
        credentials: init.credentials,
        referrerPolicy: init.referrerPolicy,
      });
      if (url.pathname === '/v1/profile' && init.method === 'POST') return answer();
      if (url.pathname.startsWith('/v1/profile/') && init.method === 'DELETE')
        return new Response(null, { status: 204 });
      const file = files.get(url.pathname);
      if (file) return file.clone();
      return new Response('not found', { status: 404 });
    }),
  );
  return { url: 'https://collector.test', calls, posts: () => calls.filter((c) => c.method === 'POST') };
}
