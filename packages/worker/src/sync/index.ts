// Everything about leaving the device: when to sync, the payload outbox, the basis, risk and segments.

export { configuredBudget } from './epoch.ts';
export type { SyncReport } from './outbox.ts';
export { backoffMs, pseudonymousId, retryAfterAt } from './outbox.ts';
export type { RiskReport } from './signals.ts';
export { currentRisk } from './signals.ts';
export type { SyncController } from './sync-controller.ts';
export { createSyncController } from './sync-controller.ts';
