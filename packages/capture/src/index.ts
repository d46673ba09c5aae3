export type { Portrait, PortraitConfig } from './portrait';
export { createPortrait } from './portrait';
export { pageProduct, productFromAttributes } from './product';
export { scrubPii } from './scrub';
