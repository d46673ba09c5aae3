import { createLogger, type EventType } from '@portrait/core';
import { createPortrait, type Portrait, type PortraitConfig } from './portrait';

// The classic-script entry merchants load with <script async>. It replaces the queue stub
//   window.portrait=window.portrait||function(){(portrait.q=portrait.q||[]).push(arguments)}
// and replays the calls made before it arrived, in order.

type Command = 'init' | 'track' | 'pause' | 'resume' | 'status' | 'export' | 'forget';
type Stub = ((...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] };
type Host = { portrait?: Stub };

const log = createLogger('portrait');
const host = window as unknown as Host;
const script = document.currentScript as HTMLScriptElement | null;

function attributeConfig(el: HTMLScriptElement | null): PortraitConfig {
  if (!el) return {};
  const d = el.dataset;
  const config: PortraitConfig = { assetBase: new URL('.', el.src || location.href).href };
  if (d.collector) config.collector = d.collector;
  if (
    d.logLevel === 'debug' ||
    d.logLevel === 'info' ||
    d.logLevel === 'warn' ||
    d.logLevel === 'error' ||
    d.logLevel === 'silent'
  ) {
    config.logLevel = d.logLevel;
  }
  if (d.autoCapture === 'false') config.autoCapture = false;
  return config;
}

const fromAttributes = attributeConfig(script);
// A tag with data-collector (or data-init) starts by itself; otherwise portrait('init', {...}) starts it.
const autoInit = script?.dataset.collector !== undefined || script?.dataset.init !== undefined;
let instance: Portrait | undefined;
let waiting: unknown[][] = [];

function run(cmd: Command, args: unknown[]): unknown {
  if (cmd === 'init') {
    if (instance) {
      log.warn('init called twice; ignored');
      return undefined;
    }
    instance = createPortrait({ ...fromAttributes, ...(args[0] as PortraitConfig | undefined) });
    const queued = waiting;
    waiting = [];
    for (const call of queued) dispatch(call);
    return undefined;
  }
  if (!instance) {
    // Calls before init wait for it, like analytics snippets' buffers.
    waiting.push([cmd, ...args]);
    return undefined;
  }
  switch (cmd) {
    case 'track':
      return instance.track(args[0] as EventType, args[1] as Parameters<Portrait['track']>[1]);
    case 'pause':
      return instance.pause();
    case 'resume':
      return instance.resume();
    case 'status':
      return instance.status();
    case 'export':
      return instance.exportData();
    case 'forget':
      return instance.forget();
  }
}

function dispatch(call: ArrayLike<unknown>): unknown {
  try {
    const [cmd, ...args] = Array.from(call);
    if (typeof cmd !== 'string' || !['init', 'track', 'pause', 'resume', 'status', 'export', 'forget'].includes(cmd)) {
      log.warn('unknown command', cmd);
      return undefined;
    }
    return run(cmd as Command, args);
  } catch (err) {
    log.warn('command failed', err);
    return undefined;
  }
}

const queued = Array.from(host.portrait?.q ?? []);
const api = ((...args: unknown[]) => dispatch(args)) as Stub;
host.portrait = api;
if (autoInit && !queued.some((c) => c[0] === 'init')) run('init', []);
for (const call of queued) dispatch(call);
