export { scrubPii } from '@portrait/core';
export type { PageMethod, PageStatus, Portrait, PortraitConfig, TrackProps } from './portrait';
export { createPortrait } from './portrait';
export { pageProduct, productFromAttributes } from './product';
