// The model from download to ready: device detection, backend choice, loading, failure memory.
export type { Embedder } from './embedder';
export type { LoadModelFn, ModelLifecycle } from './model-lifecycle';
export { createModelLifecycle } from './model-lifecycle';
export type { LoadedModel, ModelConfig } from './model-loader';
export { BACKEND_FAILED, loadModel } from './model-loader';
export type { ModelProgress } from './model-source';
export type { Backend, BackendChoice, RuntimeEnv } from './runtime-env';
export { detectRuntime } from './runtime-env';
