export type { PortraitErrorData } from './errors';
export { toErrorData } from './errors';
export type { EventRejection, EventResult, EventType, PortraitEvent, ProductInfo } from './events';
export { EVENT_TYPES, parseEvent } from './events';
export { fnv1a32, seededRandom } from './hash';
export type { Logger, LogLevel } from './log';
export { createLogger, LOG_LEVELS } from './log';
export type { DecodeResult, Payload, PayloadErrorCode } from './payload';
export {
  decodePayload,
  encodePayload,
  PAYLOAD_FLAGS,
  PAYLOAD_FORMAT,
  PAYLOAD_HEADER_BYTES,
  PAYLOAD_MAX_BYTES,
  quantize,
} from './payload';
export type { ProfileVector } from './profile';
export { cosine, EVENT_WEIGHTS, emptyProfile, eventWeight, foldEmbedding, isFiniteVector } from './profile';
export type { Basis } from './reduce';
export { project, randomProjectionBasis } from './reduce';
export { eventText } from './text';
