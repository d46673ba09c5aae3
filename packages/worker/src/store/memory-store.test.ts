import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.ts';

const ev = (id: string, ts: number) => ({ id, type: 'view' as const, ts, product: { id: `p-${id}` } });
type P = { modelId: string; n: number };

describe('memory store (the degraded fallback)', () => {
  it('stores each event id once and applies each once', async () => {
    const s = createMemoryStore<P>();
    expect((await s.addEvents([ev('a', 1), ev('b', 2)], 10)).length).toBe(2);
    expect((await s.addEvents([ev('a', 1)], 10)).length).toBe(0);
    const fold = (before: P | undefined, fresh: unknown[]) => ({ modelId: 'm', n: (before?.n ?? 0) + fresh.length });
    expect(await s.applyEvents('m', ['a', 'b'], fold)).toEqual({ modelId: 'm', n: 2 });
    expect(await s.applyEvents('m', ['a', 'b'], fold)).toEqual({ modelId: 'm', n: 2 });
    expect(await s.pendingEvents()).toEqual([]);
  });

  it('numbers applied events in the order the folds took them, across folds', async () => {
    const s = createMemoryStore<P>();
    await s.addEvents([ev('a', 3), ev('b', 1), ev('c', 2)], 10);
    const fold = (before: P | undefined, fresh: unknown[]) => ({ modelId: 'm', n: (before?.n ?? 0) + fresh.length });
    await s.applyEvents('m', ['a', 'c'], fold);
    await s.applyEvents('m', ['c', 'b'], fold);
    const seq = Object.fromEntries((await s.allEvents()).map((e) => [e.id, e.seq]));
    expect(seq).toEqual({ a: 0, c: 1, b: 2 });
  });

  it('restore takes an applied flag over a pending one, and keeps everything else as stored', async () => {
    const s = createMemoryStore<P>();
    await s.addEvents([ev('a', 1), ev('b', 2)], 10);
    await s.applyEvents('m', ['b'], (_b, fresh) => ({ modelId: 'm', n: fresh.length }));
    await s.restore(
      [
        { ...ev('a', 1), applied: 1 },
        { ...ev('b', 2), applied: 0 },
        { ...ev('c', 3), applied: 0 },
      ],
      [],
    );
    const applied = Object.fromEntries((await s.allEvents()).map((e) => [e.id, e.applied]));
    expect(applied).toEqual({ a: 1, b: 1, c: 0 });
  });

  it('restore onto a stored profile (another tab folded meanwhile) keeps it and adds unseen events pending', async () => {
    const s = createMemoryStore<P>();
    // Another tab folded a and b into the stored profile.
    await s.addEvents([ev('a', 1), ev('b', 2)], 10);
    await s.applyEvents('m', ['a', 'b'], (_b, fresh) => ({ modelId: 'm', n: fresh.length }));
    // This tab, in memory, had a (from its seed) and folded c into its own copy of the profile.
    await s.restore(
      [
        { ...ev('a', 1), applied: 1, seq: 0 },
        { ...ev('c', 3), applied: 1, seq: 1 },
      ],
      [{ modelId: 'm', n: 20 }],
    );
    expect(await s.getProfile('m')).toEqual({ modelId: 'm', n: 2 });
    const events = Object.fromEntries((await s.allEvents()).map((e) => [e.id, [e.applied, e.seq]]));
    expect(events).toEqual({ a: [1, 0], b: [1, 1], c: [0, undefined] });
    // The next fold adds c to the kept profile once: b's fold is not lost, a is not counted twice.
    const pending = await s.pendingEvents();
    await s.applyEvents(
      'm',
      pending.map((e) => e.id),
      (before, fresh) => ({ modelId: 'm', n: (before?.n ?? 0) + fresh.length }),
    );
    expect(await s.getProfile('m')).toEqual({ modelId: 'm', n: 3 });
  });

  it('numbers events folded after a restore on from the restored ones', async () => {
    const s = createMemoryStore<P>();
    await s.restore(
      [
        { ...ev('a', 1), applied: 1, seq: 7 },
        { ...ev('b', 2), applied: 0 },
      ],
      [],
    );
    await s.applyEvents('m', ['b'], (_b, fresh) => ({ modelId: 'm', n: fresh.length }));
    const seq = Object.fromEntries((await s.allEvents()).map((e) => [e.id, e.seq]));
    expect(seq).toEqual({ a: 7, b: 8 });
  });

  it('drops the oldest applied events beyond the cap, never pending ones', async () => {
    const s = createMemoryStore<P>({ maxEvents: 2, maxEventAgeMs: 1e12, maxEmbeddings: 10 });
    await s.addEvents([ev('a', 1), ev('b', 2)], 10);
    await s.applyEvents('m', ['a'], () => ({ modelId: 'm', n: 1 }));
    await s.addEvents([ev('c', 3)], 10);
    expect((await s.allEvents()).map((e) => e.id)).toEqual(['b', 'c']);
  });

  it('evicts the least recently used embedding', async () => {
    const s = createMemoryStore<P>({ maxEvents: 10, maxEventAgeMs: 1e12, maxEmbeddings: 2 });
    await s.putEmbeddings(
      [
        ['x', new Float32Array([1])],
        ['y', new Float32Array([2])],
      ],
      1,
    );
    await s.getEmbeddings(['x'], 2);
    await s.putEmbeddings([['z', new Float32Array([3])]], 3);
    expect((await s.getEmbeddings(['x', 'y', 'z'], 4)).map((v) => v?.[0])).toEqual([1, undefined, 3]);
  });

  it('acknowledges only the outbox entry that was sent', async () => {
    const s = createMemoryStore<P>();
    const entry = {
      modelId: 'm',
      body: new Uint8Array(1),
      idempotencyKey: 'k1',
      createdAt: 0,
      attempts: 0,
      notBefore: 0,
    };
    await s.putOutbox(entry);
    await s.putOutbox({ ...entry, idempotencyKey: 'k2' });
    await s.ackOutbox('m', 'k1');
    expect((await s.allOutbox()).map((e) => e.idempotencyKey)).toEqual(['k2']);
  });
});
