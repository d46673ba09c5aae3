export { scrubPii } from '@portrait/core';
export type { PageMethod, PageStatus, Portrait, PortraitConfig, TrackProps } from './portrait.ts';
export { createPortrait } from './portrait.ts';
export { pageProduct, productFromAttributes } from './product.ts';
