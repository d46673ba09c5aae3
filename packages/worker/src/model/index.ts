// The model from download to ready: device detection, backend choice, loading, failure memory.

export type { DownloadProgress, PlannedFile } from './download-progress.ts';
export type { Embedder } from './embedder.ts';
export type { LoadModelFn, ModelLifecycle } from './model-lifecycle.ts';
export { createModelLifecycle } from './model-lifecycle.ts';
export type { LoadedModel, ModelConfig } from './model-loader.ts';
export { BACKEND_FAILED, loadModel } from './model-loader.ts';
export type { ModelProgress } from './model-source.ts';
export type { Backend, BackendChoice, RuntimeEnv } from './runtime-env.ts';
export { detectRuntime } from './runtime-env.ts';
