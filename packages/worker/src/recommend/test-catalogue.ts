import type { ShardSignals } from '@portrait/core';
import type { RecommendSource } from './types.ts';

// The recommenders' unit tests share this: a hand-made catalogue served as the worker's source
// serves it, with every lookup recorded (which ids a call read is part of what they assert).

/** A catalogue item of a test: its published vector, flag and signals. */
export interface TestItem {
  vector: Float32Array;
  sensitive?: boolean;
  signals?: ShardSignals;
}

/** `lookup` over `items`, recording each call's ids in `asked`. */
export function testLookup(items: Record<string, TestItem>): Pick<RecommendSource, 'lookup'> & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    lookup: async (ids) => {
      asked.push(ids);
      return ids.map((id) => {
        const it = items[id];
        return (
          it && { vector: it.vector, sensitive: it.sensitive ?? false, ...(it.signals ? { signals: it.signals } : {}) }
        );
      });
    },
  };
}
