import { itemText, MAX_FIELD_CHARS } from '@portrait/core';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types.ts';
import { toPortraitEvent } from './user-steps.ts';

const ds: Dataset = {
  name: 't',
  items: [{ id: 'g1', title: 'Safety goggles', description: `Anti-fog lenses. ${'y'.repeat(1000)}` }],
  events: [],
  skipped: { items: 0, events: 0 },
};

describe('toPortraitEvent', () => {
  it('hands the engine the description as the worker keeps it (cut to MAX_FIELD_CHARS)', () => {
    const e = toPortraitEvent({ user: 'u', item: 0, ts: 1, type: 'view', seq: 0 }, ds);
    expect(e.product?.description).toHaveLength(MAX_FIELD_CHARS);
    // The default budget leaves it out of the text; a budget puts its first words in.
    expect(itemText(e.product ?? { id: '' })).toBe('Safety goggles');
    expect(itemText(e.product ?? { id: '' }, 16)).toBe('Safety goggles. Anti-fog lenses.');
  });
});
