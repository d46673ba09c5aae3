// The contract is declared by hand; these checks fail when the engine, the contract and the
// README's API table drift apart. The type checks run under `tsc` (pnpm typecheck), in the style
// of comlink's tests/type-checks.ts; the rest at test time.
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Result, WorkerApi } from './contract.ts';
import { createEngine } from './engine.ts';

/** Every method of the contract, spelled out once so runtime checks can see them. */
const METHODS = [
  'init',
  'loadModel',
  'ingest',
  'ping',
  'status',
  'explain',
  'forgetItem',
  'forgetSince',
  'exportData',
  'forget',
  'subscribe',
  'flush',
  'risk',
  'segments',
  'recommend',
  'rerank',
  'forYou',
  'related',
  'boughtTogether',
  'searchRank',
  'pseudonymousId',
] as const satisfies readonly (keyof WorkerApi)[];

type Method = (typeof METHODS)[number];
// Each method answers a Result: errors cross the boundary as data, never as a thrown instance.
type AnswersResult<T> = { [K in keyof T]: T[K] extends (...a: never[]) => Promise<Result<unknown>> ? true : false };

describe('WorkerApi', () => {
  it('is what the engine implements, method for method', () => {
    expectTypeOf<keyof WorkerApi>().toEqualTypeOf<Method>();
    expectTypeOf<ReturnType<typeof createEngine>>().toEqualTypeOf<WorkerApi>();
    expectTypeOf<AnswersResult<WorkerApi>[keyof WorkerApi]>().toEqualTypeOf<true>();
    expect(Object.keys(createEngine()).sort()).toEqual([...METHODS].sort());
  });

  it('is listed whole in the worker README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## API'), readme.indexOf('## ', readme.indexOf('## API') + 3));
    const listed = [...table.matchAll(/`(\w+)\(/g)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual([...METHODS].sort());
  });
});
