import { type Logger, toErrorData } from '@portrait/core';
import type { Result } from './engine-types.ts';

/** Runs one operation and returns its error as data, never as a throw. */
export function settle<T>(code: string, fn: () => Promise<T>, log: () => Logger): Promise<Result<T>> {
  return fn().then(
    (value): Result<T> => ({ ok: true, value }),
    (err: unknown): Result<T> => {
      const data = toErrorData(code, err);
      log().warn(data.code, data.message);
      return { ok: false, error: data };
    },
  );
}

/** A chain that runs operations one at a time, each settling to a Result. */
export function createOpQueue(log: () => Logger) {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run<T>(code: string, fn: () => Promise<T>): Promise<Result<T>> {
      const next = chain.then(() => settle(code, fn, log));
      chain = next;
      return next;
    },
    /** Settles once everything queued so far has run. */
    idle(): Promise<unknown> {
      return chain;
    },
  };
}

export type OpQueue = ReturnType<typeof createOpQueue>;
