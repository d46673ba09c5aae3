import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The collector's token keys: the first signs, every one verifies, so a new key can be put in
 * front while tokens signed by the old one keep working until it is removed. Each key is named
 * by a short hash of itself (its kid), which tells the verifier which key to use.
 */
export interface TokenKeys {
  readonly signing: { kid: string; key: string };
  readonly byKid: ReadonlyMap<string, string>;
}

/** What a presented token proves. */
export type TokenVerdict = 'valid' | 'expired' | 'forged';

const VERSION = 'v1';
const kidOf = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 8);
const mac = (key: string, kid: string, exp: string, pseudoId: string) =>
  createHmac('sha256', key).update(`${VERSION}.${kid}.${exp}.${pseudoId}`).digest('base64url');

/** A key set from a list of keys, or one string of them separated by commas, newest first. */
export function tokenKeys(secrets: string | readonly string[]): TokenKeys {
  const list = (typeof secrets === 'string' ? secrets.split(',') : secrets).map((s) => s.trim()).filter(Boolean);
  const first = list[0];
  if (first === undefined) throw new Error('token keys: no key');
  return { signing: { kid: kidOf(first), key: first }, byKid: new Map(list.map((k) => [kidOf(k), k])) };
}

/**
 * Proof of ownership of a pseudonymous id until `expiresAt` (ms since the epoch):
 * `v1.<kid>.<expiry, ms, base 36>.<HMAC-SHA256 of all that and the id, base64url>`. The
 * device gets one with every accepted upsert and presents it later; nobody without a key can
 * make one, so nobody else can overwrite, read recommendations for, or erase that profile.
 */
export function issueToken(keys: TokenKeys, pseudoId: string, expiresAt: number): string {
  const { kid, key } = keys.signing;
  const exp = Math.floor(expiresAt).toString(36);
  return `${VERSION}.${kid}.${exp}.${mac(key, kid, exp, pseudoId)}`;
}

/** 'forged' for anything not signed by a key of the set for this id; 'expired' once past its expiry. */
export function checkToken(keys: TokenKeys, pseudoId: string, token: string, now = Date.now()): TokenVerdict {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return 'forged';
  const [, kid = '', exp = '', sig = ''] = parts;
  const key = keys.byKid.get(kid);
  if (key === undefined || !/^[0-9a-z]{1,11}$/.test(exp)) return 'forged';
  const expected = Buffer.from(mac(key, kid, exp, pseudoId));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
  // Checked only once the signature holds, so a forger learns nothing from the answer.
  return Number.parseInt(exp, 36) <= now ? 'expired' : 'valid';
}
