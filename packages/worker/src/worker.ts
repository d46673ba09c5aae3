import { expose } from 'comlink';
import { createEngine } from './engine.ts';

// The worker's only export is this API object; the page reaches it through comlink's `wrap`.
expose(createEngine());
