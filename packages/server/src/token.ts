import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Proof of ownership of a pseudonymous id: HMAC-SHA256 of the id under the server secret,
 * base64url. The device gets it on its first sync and presents it later; nobody else can
 * compute it, so nobody else can overwrite, read recommendations for, or erase that profile.
 */
export function issueToken(secret: string, pseudoId: string): string {
  return createHmac('sha256', secret).update(pseudoId).digest('base64url');
}

export function verifyToken(secret: string, pseudoId: string, token: string): boolean {
  const expected = Buffer.from(issueToken(secret, pseudoId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
