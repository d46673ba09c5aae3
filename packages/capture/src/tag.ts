import { createLogger } from '@portrait/core';
import { attributeConfig } from './attributes.ts';
import { createPortrait, type Portrait, type PortraitConfig } from './portrait.ts';

// The classic-script entry merchants load with <script async>. It replaces the queue stub
//   window.portrait=window.portrait||function(){(portrait.q=portrait.q||[]).push(arguments)}
// and replays the calls made before it arrived, in order. Nothing here may throw into the page.

type Stub = ((...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] };
type Host = { portrait?: Stub };

const log = createLogger('portrait');
const host = window as unknown as Host;
const script = document.currentScript as HTMLScriptElement | null;

let fromAttributes: PortraitConfig = {};
let instance: Portrait | undefined;
let waiting: unknown[][] = [];

function dispatch(call: ArrayLike<unknown>): unknown {
  try {
    const [cmd, ...args] = Array.from(call);
    if (cmd === 'init') {
      if (instance) return log.debug('init twice');
      const o = args[0];
      instance = createPortrait({ ...fromAttributes, ...(typeof o === 'object' ? (o as PortraitConfig) : {}) });
      const queued = waiting;
      waiting = [];
      for (const c of queued) dispatch(c);
      return undefined;
    }
    // Calls before init wait for it, like analytics snippets' buffers.
    if (!instance) return void waiting.push([cmd, ...args].slice(0, 4));
    const method = (cmd === 'export' ? 'exportData' : cmd) as keyof Portrait;
    // The commands are the handle's own methods; anything else (a typo, 'toString') is ignored.
    if (!Object.hasOwn(instance, method)) return log.debug('unknown command', cmd);
    return (instance[method] as (...a: unknown[]) => unknown)(...args);
  } catch (err) {
    log.debug(err);
    return undefined;
  }
}

try {
  fromAttributes = attributeConfig(script);
  const queued = Array.from(host.portrait?.q ?? []);
  host.portrait = (...args: unknown[]) => dispatch(args);
  // A tag with data-collector (or data-init) starts by itself; otherwise portrait('init', {...}) starts it.
  const d = script?.dataset;
  if ((d?.collector !== undefined || d?.init !== undefined) && !queued.some((c) => c?.[0] === 'init'))
    dispatch(['init']);
  for (const c of queued) dispatch(c);
} catch (err) {
  log.debug(err);
}
