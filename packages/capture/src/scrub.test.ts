import { expect, it } from 'vitest';
import { scrubPii } from './scrub';

it('scrubs contact and payment details but keeps the query', () => {
  expect(scrubPii('shoes for jane.doe@example.com')).toBe('shoes for [email]');
  expect(scrubPii('card 4111 1111 1111 1111 boots')).toBe('card [number] boots');
  expect(scrubPii('call +44 20 7946 0958 tent')).toBe('call [phone] tent');
  expect(scrubPii('red trail shoes size 42')).toBe('red trail shoes size 42');
});
