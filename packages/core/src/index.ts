export type { BasisDecodeResult, BasisFile } from './basis-file';
export { BASIS_FORMAT, BASIS_MAGIC, decodeBasisFile, encodeBasisFile } from './basis-file';
export type { ShardDecodeResult, ShardErrorCode } from './catalogue-vectors';
export {
  decodeShard,
  encodeShard,
  SHARD_FLAGS,
  SHARD_FORMAT,
  SHARD_HEADER_BYTES,
  SHARD_MAGIC,
  shardOf,
} from './catalogue-vectors';
export type { PayloadLayout } from './compact';
export { compactScore, compactVectors, DEFAULT_LAYOUT, rankItems } from './compact';
export type { DpBudget } from './dp-budget';
export {
  DEFAULT_DP_BUDGET,
  dpBudget,
  privatizeRisk,
  privatizeSegments,
  randomizedResponse,
  releaseShare,
} from './dp-budget';
export type { PortraitErrorData } from './errors';
export { toErrorData } from './errors';
export { EVENT_WEIGHTS, eventWeight } from './event-weight';
export type { EventRejection, EventResult, EventType, PortraitEvent, ProductInfo } from './events';
export { EVENT_TYPES, MAX_FIELD_CHARS, parseEvent } from './events';
export type { ExplainedInterest, ExplainOptions, LabelVector } from './explain';
export {
  calibratedThreshold,
  DEFAULT_EXPLAIN_OPTIONS,
  explain,
  NEUTRAL_ANCHORS,
  SENSITIVE_THRESHOLD,
  SENSITIVE_TOPICS,
  sensitiveTopic,
  topicsHash,
} from './explain';
export { fnv1a32, seededRandom } from './hash';
export type { LocalDpOptions } from './local-dp';
export { DEFAULT_DP, dpSigma, gaussian, privatize, secureUniform } from './local-dp';
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
  PAYLOAD_MAX_SEGMENTS,
  PAYLOAD_MAX_VECTORS,
  payloadBytes,
  quantize,
  RISK_UNKNOWN,
} from './payload';
export type { PcaFit } from './pca';
export { fitPca } from './pca';
export { scrubPii } from './pii';
export type { Interest, ProfileParams, ProfileState } from './profile';
export { createProfile, DEFAULT_PROFILE_PARAMS, MAX_INTERESTS } from './profile';
export { isProfileState } from './profile-guard';
export type { EmbeddedEvent } from './profile-update';
export { replayProfile, updateProfile } from './profile-update';
export type { Basis } from './reduce';
export { project, randomProjectionBasis } from './reduce';
export type { RiskHistory } from './risk';
export {
  EMPTY_RISK_HISTORY,
  observeRisk,
  parseRiskHistory,
  RISK_MIN_HISTORY,
  riskScore,
  sessionDistance,
} from './risk';
export type { SegmentMembership, SegmentVector } from './segments';
export { SEGMENT_THRESHOLD, segmentMembership } from './segments';
export { eventText, MAX_TEXT_CHARS, priceBand, productText } from './text';
export { cosine, isFiniteVector } from './vector';
