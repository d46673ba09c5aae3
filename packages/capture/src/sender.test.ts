import type { PortraitEvent } from '@portrait/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A fake worker per start: each answers (or not) as the test says, and records what it was sent.
interface FakeWorker {
  ingested: string[][];
  terminated: boolean;
  answer: { ingest: boolean; ping: boolean | 'throws' };
}
const started: FakeWorker[] = [];
let answers: FakeWorker['answer'][] = [];

vi.mock('./schedule', () => ({
  afterLoad: () => Promise.resolve(),
  idle: (fn: () => void) => setTimeout(fn, 0),
}));
vi.mock('./worker-client', () => ({
  startWorker: () => {
    const w: FakeWorker = { ingested: [], terminated: false, answer: answers.shift() ?? { ingest: true, ping: true } };
    started.push(w);
    const never = new Promise(() => {});
    const ok = <T>(value: T) => Promise.resolve({ ok: true, value });
    return {
      api: {
        init: () => ok({}),
        ingest: (events: PortraitEvent[]) => {
          // No push or map: one test runs this under a page that replaced them.
          w.ingested[w.ingested.length] = Array.from(events, (e) => e.id);
          return w.answer.ingest ? ok({ accepted: events.length, duplicates: 0, rejected: [] }) : never;
        },
        ping: () =>
          w.answer.ping === 'throws' ? Promise.reject(new Error('no method ping')) : w.answer.ping ? ok(true) : never,
        status: () => ok({ state: 'ready' }),
      },
      worker: Object.assign(new EventTarget(), {
        terminate: () => {
          w.terminated = true;
        },
      }),
    };
  },
}));

const { createSender } = await import('./sender.ts');
const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const event = (id: string) => ({ id, type: 'view', ts: 1, product: { id } }) as PortraitEvent;

describe('sender: a worker that stops answering', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    started.length = 0;
    answers = [];
  });
  afterEach(() => vi.useRealTimers());

  it('is replaced, and the new one gets every event the dead one did not acknowledge', async () => {
    answers = [{ ingest: false, ping: false }];
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    s.push(event('b'));
    await vi.advanceTimersByTimeAsync(10);
    s.push(event('c'));
    await vi.advanceTimersByTimeAsync(10);
    expect(started[0]?.ingested).toEqual([['a', 'b'], ['c']]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(started[0]?.terminated).toBe(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(started[1]?.ingested).toEqual([['a', 'b', 'c']]);
    // Acknowledged now: only new events cross from here on.
    s.push(event('d'));
    await vi.advanceTimersByTimeAsync(10);
    expect(started[1]?.ingested).toEqual([['a', 'b', 'c'], ['d']]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(started).toHaveLength(2);
  });

  it('a busy worker that answers pings is kept, however long the batch takes', async () => {
    answers = [{ ingest: false, ping: true }];
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toHaveLength(1);
    expect(started[0]?.terminated).toBe(false);
    expect(await s.call('status')).toEqual({ state: 'ready' });
  });

  it('an older worker that answers the ping with an error is alive, and kept', async () => {
    answers = [{ ingest: false, ping: 'throws' }];
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toHaveLength(1);
  });

  it('a worker that dies on every start is restarted three times, then left alone', async () => {
    const dead = { ingest: false, ping: false };
    answers = [dead, dead, dead, dead, dead];
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(started).toHaveLength(4);
    expect(started.slice(0, 3).every((w) => w.terminated)).toBe(true);
    expect(started[3]?.terminated).toBe(false);
    expect(started.map((w) => w.ingested)).toEqual([[['a']], [['a']], [['a']], [['a']]]);
  });

  it('a page that replaced Array.prototype push and includes loses no event', async () => {
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    await vi.advanceTimersByTimeAsync(10);
    const { push, includes } = Array.prototype;
    try {
      Array.prototype.push = () => {
        throw new Error('hostile push');
      };
      Array.prototype.includes = () => true;
      s.push(event('b'));
      s.flushNow();
      // Pushed while b's batch waits for its acknowledgement: the acknowledgement must not take c.
      s.push(event('c'));
      await vi.advanceTimersByTimeAsync(10);
    } finally {
      Array.prototype.push = push;
      Array.prototype.includes = includes;
    }
    expect(started[0]?.ingested).toEqual([['a'], ['b'], ['c']]);
  });
});

describe('sender: events the page could not hand over go on to the tab’s next page', () => {
  // Node has no sessionStorage: a plain object stands in, read and written by property like the tag does.
  let storage: Record<string, string>;
  const KEY = 'portrait:unsent';
  beforeEach(() => {
    vi.useFakeTimers();
    started.length = 0;
    answers = [];
    storage = {};
    vi.stubGlobal('sessionStorage', storage);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('keeps what was never handed over at hide, and the next page sends it with its first event', async () => {
    const page1 = createSender('w.js', {}, log);
    page1.push(event('a'));
    page1.push(event('b'));
    // pagehide before the worker started: nothing could be posted.
    page1.flushNow();
    expect(started).toHaveLength(0);
    expect(JSON.parse(storage[KEY] ?? '')).toEqual([event('a'), event('b')]);
    // The page is gone in a browser; here its sender lives on, so its late worker is set aside.
    answers = [{ ingest: false, ping: true }];
    await vi.advanceTimersByTimeAsync(10);
    started.length = 0;

    const page2 = createSender('w.js', {}, log);
    // A page that captures nothing starts no worker for the kept events.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toHaveLength(0);
    page2.push(event('c'));
    await vi.advanceTimersByTimeAsync(10);
    expect(started[0]?.ingested).toEqual([['a', 'b', 'c']]);
    // Acknowledged: the next hide keeps nothing.
    page2.flushNow();
    expect(storage[KEY]).toBe('[]');
  });

  it('keeps events posted to a worker that had not acknowledged them (the worker dies with the page)', async () => {
    answers = [{ ingest: false, ping: true }];
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    await vi.advanceTimersByTimeAsync(10);
    expect(started[0]?.ingested).toEqual([['a']]);
    s.flushNow();
    expect(JSON.parse(storage[KEY] ?? '').map((e: PortraitEvent) => e.id)).toEqual(['a']);
  });

  it('clear (consent withdrawn, forget) empties the kept copy too', () => {
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    s.flushNow();
    expect(storage[KEY]).toContain('"a"');
    s.clear();
    expect(storage[KEY]).toBe('[]');
  });

  it('ignores a kept value that is not a list, and a storage that throws', async () => {
    storage[KEY] = '{"id":"x"}';
    const s = createSender('w.js', {}, log);
    s.push(event('a'));
    await vi.advanceTimersByTimeAsync(10);
    expect(started[0]?.ingested).toEqual([['a']]);

    vi.stubGlobal('sessionStorage', {
      get [KEY]() {
        throw new DOMException('blocked', 'SecurityError');
      },
      set [KEY](_: string) {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    const blocked = createSender('w.js', {}, log);
    blocked.push(event('b'));
    expect(() => blocked.flushNow()).not.toThrow();
    await vi.advanceTimersByTimeAsync(10);
    expect(started[1]?.ingested).toEqual([['b']]);
  });
});
