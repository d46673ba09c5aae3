import { describe, expect, it } from 'vitest';
import { scrubPii } from './pii.ts';

describe('scrubPii', () => {
  it.each([
    ['mail me at john.smith+shop@mail.example.co.uk please', 'mail me at [email] please'],
    ['call 0044 (20) 7946-0958 now', 'call [phone] now'],
    ['+1 415 555 2671', '[phone]'],
    ['card 4111-1111-1111-1111', 'card [number]'],
    ['card 4111111111111111 exp', 'card [number] exp'],
    ['iban DE89 3704 0044 0532 0130 00 ok', 'iban [iban] ok'],
    ['GB82WEST12345698765432', '[iban]'],
  ])('scrubs %j', (input, out) => {
    expect(scrubPii(input)).toBe(out);
  });

  it.each(['running shoes size 42', 'iPhone 15 Pro 256GB', 'TV 55 inch 4K 2024', 'pack of 12 AA batteries'])(
    'leaves ordinary product words alone: %j',
    (input) => {
      expect(scrubPii(input)).toBe(input);
    },
  );
});
