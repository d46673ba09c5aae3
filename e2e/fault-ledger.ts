import type { TestInfo } from '@playwright/test';
import { expect } from '@playwright/test';

/** One line of the fault suite's summary table (printed by fault-reporter.ts at the end of the run). */
export interface FaultRow {
  /** Short name of the injected fault, e.g. 'collector 429 + Retry-After'. */
  fault: string;
  /** Events the page captured (or the test sent) while the fault was active or before it. */
  eventsIn: number;
  /** Events the final profile reflects (its count, or applied events read from IndexedDB). */
  eventsReflected: number;
  /** Profile syncs the collector acknowledged with a 2xx. */
  syncsAcked: number;
  /** Events captured but neither in the profile nor still pending (must be 0). */
  lost: number;
  /** Events applied to the profile more than once, or syncs stored twice (must be 0). */
  duplicated: number;
  /** Anything a reader of the table needs, e.g. 'status: memory mode', '3 requests in 60 s'. */
  note?: string;
}

export const FAULT_ATTACHMENT = 'portrait-fault-row';

/**
 * Records the row for the summary table, then asserts the suite's promise: nothing lost, nothing
 * applied twice. Attaching first keeps a failing row visible in the table.
 */
export async function recordFault(testInfo: TestInfo, row: FaultRow): Promise<void> {
  await testInfo.attach(FAULT_ATTACHMENT, { body: JSON.stringify(row), contentType: 'application/json' });
  expect.soft(row.lost, `${row.fault}: lost events`).toBe(0);
  expect.soft(row.duplicated, `${row.fault}: duplicated events`).toBe(0);
}
