import type { PageMethod, PageStatus } from '@portrait/capture';

// The shop talks to Portrait only through the merchant API, `window.portrait(...)`, as any
// merchant page would. Calls made before the async tag arrived would be queued by the stub and
// return nothing, so the page waits for the real function first.

type PortraitFn = (cmd: string, ...args: unknown[]) => unknown;
const host = window as unknown as { portrait?: PortraitFn };
// The merchant's stub pushes onto `portrait.q`; the tag replaces it with its own function (which
// may already have happened when this module runs, the tag being async).
const isStub = (fn: PortraitFn) => String(fn).includes('portrait.q');

let ready: Promise<PortraitFn | undefined> | undefined;
function loaded(): Promise<PortraitFn | undefined> {
  ready ??= new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      if (host.portrait && !isStub(host.portrait)) return resolve(host.portrait);
      // No tag (blocked, disabled or failed): the shop works without it.
      if (performance.now() - started > 15_000) return resolve(undefined);
      setTimeout(check, 100);
    };
    check();
  });
  return ready;
}

async function command<T>(cmd: string, ...args: unknown[]): Promise<T | undefined> {
  const fn = await loaded();
  return fn ? ((await fn(cmd, ...args)) as T | undefined) : undefined;
}

export const portrait = {
  status: () => command<PageStatus>('status'),
  /** Downloads the shopper's export; the tag does it only during their click, and answers only whether it did. */
  exportData: () => command<boolean>('export'),
  pause: () => command<void>('pause'),
  resume: () => command<void>('resume'),
  forget: () => command<boolean>('forget'),
  /** A worker method from the tag's page allowlist (`call`). */
  call: <T>(method: PageMethod, ...args: unknown[]) => command<T>('call', method, ...args),
  /** The collector the tag was installed with (its data-collector attribute). */
  collector: (): string | undefined =>
    document.querySelector<HTMLScriptElement>('script[src$="portrait.js"]')?.dataset.collector,
};
