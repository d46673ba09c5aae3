import { detectRuntime, type LoadModelFn, loadModel } from './model/index.ts';
import type { createPersistence } from './store/index.ts';

/** What the engine reaches outside itself; tests replace them (a fake model, a memory store). */
export interface EngineDeps {
  loadModel: LoadModelFn;
  detectRuntime: typeof detectRuntime;
  /** Opens the durable store; IndexedDB by default. */
  openDurable?: Parameters<typeof createPersistence>[0]['openDurable'];
  /** The URL model and catalogue folders resolve against: the worker script's own. */
  baseUrl: () => string;
}

export const DEFAULT_DEPS: EngineDeps = {
  loadModel,
  detectRuntime,
  baseUrl: () => self.location.href,
};
