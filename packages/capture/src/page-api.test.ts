// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The Portrait handle as a page script sees it: which worker methods it may reach, what comes
// back, and how the export leaves (a download on a click, never a readable object). The worker is
// a fake that records every method the page side asked it for.

let calls: { method: string; args: unknown[] }[] = [];
let initAnswer: { ok: boolean; value?: unknown; error?: { code: string; message: string } } = { ok: true, value: {} };
let terminated = 0;
const STATUS = { state: 'ready', storedEvents: 3, profileEvents: 3, pendingEvents: 0, sensitiveSkipped: 2 };
const VALUES: Record<string, unknown> = {
  status: STATUS,
  explain: [{ label: 'lamps', weight: 1 }],
  forgetItem: 4,
  loadModel: STATUS,
  pseudonymousId: 'the-id',
  exportData: {
    events: [{ id: 'e1', type: 'view', ts: 1, product: { id: 'LAMP-1', title: 'Brass desk lamp' } }],
    profiles: [{ long: new Float32Array([0.5]) }],
  },
};

vi.mock('./schedule', () => ({
  afterLoad: () => Promise.resolve(),
  idle: (fn: () => void) => setTimeout(fn, 0),
}));
vi.mock('./worker-client', () => ({
  startWorker: () => ({
    api: new Proxy(
      {},
      {
        get:
          (_, method: string) =>
          async (...args: unknown[]) => {
            calls.push({ method, args });
            if (method === 'init') return initAnswer;
            return {
              ok: true,
              value: method === 'ingest' ? { accepted: 1, duplicates: 0, rejected: [] } : VALUES[method],
            };
          },
      },
    ),
    worker: Object.assign(new EventTarget(), {
      terminate: () => {
        terminated++;
      },
    }),
  }),
}));

const { createPortrait } = await import('./portrait.ts');
const asked = () => calls.map((c) => c.method).filter((m) => m !== 'init');
const activation = (isActive: boolean) =>
  Object.defineProperty(navigator, 'userActivation', { configurable: true, value: { isActive } });

beforeEach(() => {
  calls = [];
  terminated = 0;
  initAnswer = { ok: true, value: {} };
  activation(false);
});
afterEach(() => vi.restoreAllMocks());

describe('call: only what a merchant page needs', () => {
  for (const method of ['pseudonymousId', 'exportData', 'ingest', 'init', 'subscribe', 'status', 'ping', 'toString']) {
    it(`'${method}' resolves undefined and never reaches the worker`, async () => {
      const p = createPortrait({ autoCapture: false });
      expect(await p.call(method as never, [{ id: 'x', type: 'view', ts: 1 }])).toBeUndefined();
      expect(asked()).toEqual([]);
    });
  }

  it('a read (explain) reaches the worker with its arguments and answers its value', async () => {
    const p = createPortrait({ autoCapture: false });
    expect(await p.call('explain', 3)).toEqual([{ label: 'lamps', weight: 1 }]);
    expect(calls.at(-1)).toEqual({ method: 'explain', args: [3] });
  });

  it('forgetItem and loadModel answer "done", not the count of the item\'s events or the status', async () => {
    const p = createPortrait({ autoCapture: false });
    expect(await p.call('forgetItem', 'LAMP-1')).toBe(true);
    expect(await p.call('loadModel')).toBe(true);
    expect(asked()).toEqual(['forgetItem', 'loadModel']);
  });

  it('before consent nothing reaches the worker, so none is started', async () => {
    const p = createPortrait({ autoCapture: false, consent: 'required' });
    expect(await p.call('explain')).toBeUndefined();
    expect(await p.status()).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe('status and export', () => {
  it('status leaves out the count of events kept out as sensitive', async () => {
    const s = await createPortrait({ autoCapture: false }).status();
    expect(s).toMatchObject({ state: 'ready', storedEvents: 3 });
    expect(s).not.toHaveProperty('sensitiveSkipped');
  });

  it('export without a user click downloads nothing and asks the worker nothing', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    expect(await createPortrait({ autoCapture: false }).exportData()).toBe(false);
    expect(asked()).toEqual([]);
    expect(click).not.toHaveBeenCalled();
  });

  it('export during a user click downloads the JSON file and answers only true', async () => {
    activation(true);
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:export';
    });
    let downloaded = '';
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloaded = this.download;
    });
    expect(await createPortrait({ autoCapture: false }).exportData()).toBe(true);
    expect(downloaded).toBe('portrait-export.json');
    const file = JSON.parse(await (blobs[0] as Blob).text());
    expect(file.events[0].product.title).toBe('Brass desk lamp');
    expect(file.profiles[0].long).toEqual([0.5]);
  });
});

describe('config: what the page sees of the device', () => {
  it("the page's Save-Data reaches the worker (which may not see it), and is left out when off", async () => {
    const connection = { saveData: true };
    Object.defineProperty(navigator, 'connection', { configurable: true, value: connection });
    try {
      await createPortrait({ autoCapture: false }).call('explain');
      connection.saveData = false;
      await createPortrait({ autoCapture: false }).call('explain');
    } finally {
      Reflect.deleteProperty(navigator, 'connection');
    }
    const inits = calls.filter((c) => c.method === 'init').map((c) => c.args[0]);
    expect(inits).toEqual([{ logLevel: 'warn', saveData: true }, { logLevel: 'warn' }]);
    expect(Object.keys(inits[1] as object)).toEqual(['logLevel']);
  });
});

describe('config: differential privacy', () => {
  it('dp reaches the worker as WorkerConfig.dp', async () => {
    await createPortrait({ autoCapture: false, dp: { epsilon: 2, releases: 4 } }).call('explain');
    expect(calls[0]).toEqual({ method: 'init', args: [{ logLevel: 'warn', dp: { epsilon: 2, releases: 4 } }] });
  });

  it('a budget the worker refuses: a prefixed warning, the worker terminated, nothing captured after', async () => {
    initAnswer = { ok: false, error: { code: 'worker/bad-config', message: 'dp: epsilon 50 is not in (0, 10]' } };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p = createPortrait({ autoCapture: false, dp: { epsilon: 50 } });
    p.track('like', { product: { id: 'LAMP-1' } });
    await vi.waitFor(() => expect(terminated).toBe(1));
    expect(warn).toHaveBeenCalledWith('[portrait]', 'init', 'worker/bad-config', 'dp: epsilon 50 is not in (0, 10]');
    p.track('like', { product: { id: 'LAMP-2' } });
    expect(await p.call('explain')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(asked()).toEqual([]);
  });
});
