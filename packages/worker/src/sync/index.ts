// Everything about leaving the device: when to sync, the payload outbox, the basis, risk and segments.

export { configuredBudget } from './epoch';
export type { SyncReport } from './outbox';
export { backoffMs, pseudonymousId, retryAfterAt } from './outbox';
export type { RiskReport } from './signals';
export { currentRisk } from './signals';
export type { SyncController } from './sync-controller';
export { createSyncController } from './sync-controller';
