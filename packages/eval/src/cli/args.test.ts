import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('pnpm eval flags', () => {
  it('has the documented defaults', () => {
    expect(parseArgs(['--data', 'd'])).toMatchObject({
      data: 'd',
      seed: 1,
      target: 'all',
      warmup: 1,
      folds: 5,
      skipBad: false,
      model: 'use-lite',
      dtype: 'q8',
    });
  });

  it('parses every flag', () => {
    const a = parseArgs([
      '--data',
      'd',
      '--max-users',
      '300',
      '--seed',
      '4',
      '--target',
      'last',
      '--out',
      'r.json',
      '--skip-bad',
      '--lower-caps',
      '--drop-price',
      '--item-vectors',
      'cat',
      '--description-chars',
      '120',
    ]);
    expect(a).toMatchObject({
      maxUsers: 300,
      seed: 4,
      target: 'last',
      out: 'r.json',
      skipBad: true,
      lowerCaps: true,
      dropPrice: true,
      itemVectors: 'cat',
      descriptionChars: 120,
    });
  });

  it.each([
    [[], /--data DIR is required/],
    [['--data', 'd', '--target', 'first'], /all or last/],
    [['--data', 'd', '--max-users', '0'], /integer >= 1/],
    [['--data', 'd', '--bogus', '1'], /unknown flag --bogus/],
    [['--data'], /needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
