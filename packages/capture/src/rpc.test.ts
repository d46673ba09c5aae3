import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { remote } from './rpc.ts';

// The real comlink `expose` on one end of a channel, our caller on the other.
function pair<T extends object>(api: T) {
  const { port1, port2 } = new MessageChannel();
  expose(api, port1 as unknown as Parameters<typeof expose>[1]);
  return remote<T>(port2 as unknown as Parameters<typeof remote>[0]);
}

describe('remote (comlink wire protocol)', () => {
  const api = {
    add: (a: number, b: number) => a + b,
    echo: async (v: unknown) => v,
    fail: () => {
      throw new Error('nope');
    },
    result: async () => ({ ok: true as const, value: { events: [{ id: 'a' }], vec: new Float32Array([1, 2]) } }),
  };

  it('calls methods exposed with comlink and returns their values', async () => {
    const r = pair(api);
    expect(await r.add(2, 3)).toBe(5);
    expect(await r.echo([{ a: [1, 'x', null] }])).toEqual([{ a: [1, 'x', null] }]);
    const res = await r.result();
    expect(res.value.vec).toEqual(new Float32Array([1, 2]));
  });

  it('posts calls on a page that replaced Array.prototype.map', async () => {
    const r = pair(api);
    const { map } = Array.prototype;
    let sum: Promise<number>;
    // Only while the page side posts: comlink's end shares this realm here, not in a worker.
    try {
      Array.prototype.map = () => 'hostile map' as never;
      sum = r.add(2, 3);
    } finally {
      Array.prototype.map = map;
    }
    expect(await sum).toBe(5);
  });

  it('keeps concurrent calls apart', async () => {
    const r = pair(api);
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => r.add(i, i)));
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => 2 * i));
  });

  it('rejects with the thrown error', async () => {
    const r = pair(api);
    await expect(r.fail()).rejects.toMatchObject({ message: 'nope' });
  });

  it('is not a thenable', async () => {
    const r = pair(api);
    expect((r as unknown as { then?: unknown }).then).toBeUndefined();
  });
});

describe('remote (worker that never loads)', () => {
  it('rejects waiting and later calls once the endpoint errors before answering', async () => {
    const target = new EventTarget() as EventTarget & { postMessage: (m: unknown) => void };
    target.postMessage = () => {};
    const r = remote<{ ping(): number }>(target as unknown as Parameters<typeof remote>[0]);
    const waiting = r.ping();
    target.dispatchEvent(new Event('error'));
    await expect(waiting).rejects.toBeInstanceOf(Event);
    await expect(r.ping()).rejects.toBeInstanceOf(Event);
  });
});

describe('remote (worker given up on)', () => {
  it('an error the page raises after the worker answered settles waiting calls', async () => {
    const target = new EventTarget() as EventTarget & { postMessage: (m: unknown) => void };
    target.postMessage = () => {};
    const r = remote<{ ping(): number }>(target as unknown as Parameters<typeof remote>[0]);
    // Any answer marks the worker as started; its own later errors would not end the calls.
    target.dispatchEvent(new MessageEvent('message', { data: { id: -1 } }));
    const waiting = r.ping();
    target.dispatchEvent(new Event('error'));
    await expect(waiting).rejects.toBeInstanceOf(Event);
  });
});
