import { describe, expect, it } from 'vitest';
import { privacyBlock } from './privacy.ts';

describe('privacyBlock', () => {
  it('blocks on GPC and DNT by default', () => {
    expect(privacyBlock({}, { globalPrivacyControl: true }, {})).toBe('GPC');
    expect(privacyBlock({}, { doNotTrack: '1' }, {})).toBe('DNT');
    expect(privacyBlock({}, {}, { doNotTrack: '1' })).toBe('DNT');
  });

  it('allows capture without signals, or when the merchant turned them off', () => {
    expect(privacyBlock({}, { doNotTrack: '0', globalPrivacyControl: false }, {})).toBeUndefined();
    expect(privacyBlock({ respectGpc: false }, { globalPrivacyControl: true }, {})).toBeUndefined();
    expect(privacyBlock({ respectDnt: false }, { doNotTrack: '1' }, {})).toBeUndefined();
  });
});
