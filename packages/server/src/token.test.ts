import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkToken, issueToken, tokenKeys } from './token.ts';

const ID = 'aa'.repeat(16);
const NOW = 1_790_000_000_000;
const HOUR = 3_600_000;

describe('ownership tokens', () => {
  const keys = tokenKeys('new-key, old-key');
  const token = issueToken(keys, ID, NOW + HOUR);

  it('are versioned, name their key, and verify until they expire', () => {
    expect(token).toMatch(/^v1\.[0-9a-f]{8}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(checkToken(keys, ID, token, NOW)).toBe('valid');
    expect(checkToken(keys, ID, token, NOW + HOUR - 1_000)).toBe('valid');
    expect(checkToken(keys, ID, token, NOW + HOUR)).toBe('expired');
  });

  it('are signed by the first key; every key of the set verifies; a key removed from it no longer does', () => {
    const old = issueToken(tokenKeys('old-key'), ID, NOW + HOUR);
    expect(token.split('.')[1]).toBe(tokenKeys('new-key').signing.kid);
    expect(checkToken(keys, ID, old, NOW)).toBe('valid');
    expect(checkToken(tokenKeys('new-key'), ID, old, NOW)).toBe('forged');
  });

  it('refuse any change: another id, a later expiry, another kid, a bit of the MAC, the old unversioned form', () => {
    const [v, kid, exp, sig] = token.split('.') as [string, string, string, string];
    const later = (Number.parseInt(exp, 36) + 86_400_000).toString(36);
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    const legacy = createHmac('sha256', 'new-key').update(ID).digest('base64url');
    const cases = [
      checkToken(keys, 'bb'.repeat(16), token, NOW),
      checkToken(keys, ID, [v, kid, later, sig].join('.'), NOW),
      checkToken(keys, ID, [v, tokenKeys('old-key').signing.kid, exp, sig].join('.'), NOW),
      checkToken(keys, ID, [v, kid, exp, flipped].join('.'), NOW),
      checkToken(keys, ID, ['v2', kid, exp, sig].join('.'), NOW),
      checkToken(keys, ID, legacy, NOW),
      checkToken(keys, ID, `${token}.x`, NOW),
      checkToken(keys, ID, '', NOW),
    ];
    expect(cases).toEqual(Array(cases.length).fill('forged'));
    // An expired token with a forged signature says forged, not expired.
    expect(checkToken(keys, ID, [v, kid, exp, flipped].join('.'), NOW + 2 * HOUR)).toBe('forged');
  });

  it('refuse an empty key set', () => {
    expect(() => tokenKeys(' , ')).toThrow(/no key/);
  });
});
