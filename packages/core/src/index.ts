export type { BasisDecodeResult, BasisFile } from './basis-file.ts';
export { BASIS_FORMAT, BASIS_MAGIC, decodeBasisFile, encodeBasisFile } from './basis-file.ts';
export type { ItemSignals, Neighbour, OrderLine, SignalParams } from './catalogue-signals.ts';
export {
  buildCatalogueSignals,
  buildShopSignals,
  DEFAULT_SIGNAL_PARAMS,
  dequantizeWeight,
  groupOrders,
  parseOrderLines,
  quantizePopularity,
  quantizeWeight,
  SignalAccumulator,
} from './catalogue-signals.ts';
export type { ShardDecodeResult, ShardErrorCode, ShardSignals } from './catalogue-vectors.ts';
export {
  decodeShard,
  encodeShard,
  SHARD_FLAGS,
  SHARD_FORMAT,
  SHARD_HEADER_BYTES,
  SHARD_MAGIC,
  SHARD_MAX_NEIGHBOURS,
  shardOf,
} from './catalogue-vectors.ts';
export type { PayloadLayout } from './compact.ts';
export { compactScore, compactVectors, DEFAULT_LAYOUT, rankItems } from './compact.ts';
export type { DpBudget } from './dp-budget.ts';
export {
  DEFAULT_DP_BUDGET,
  dpBudget,
  privatizeRisk,
  privatizeSegments,
  randomizedResponse,
  releaseShare,
} from './dp-budget.ts';
export type { PortraitErrorData } from './errors.ts';
export { toErrorData } from './errors.ts';
export { EVENT_WEIGHTS, eventWeight } from './event-weight.ts';
export type { EventRejection, EventResult, EventType, PortraitEvent, ProductInfo } from './events.ts';
export { EVENT_TYPES, MAX_FIELD_CHARS, parseEvent } from './events.ts';
export type { ExplainedInterest, ExplainOptions, LabelVector } from './explain.ts';
export {
  calibratedThreshold,
  DEFAULT_EXPLAIN_OPTIONS,
  explain,
  NEUTRAL_ANCHORS,
  SENSITIVE_THRESHOLD,
  SENSITIVE_TOPICS,
  sensitiveTopic,
  topicsHash,
} from './explain.ts';
export { fnv1a32, seededRandom } from './hash.ts';
export type { LocalDpOptions } from './local-dp.ts';
export { DEFAULT_DP, dpSigma, gaussian, privatize, secureUniform } from './local-dp.ts';
export type { Logger, LogLevel } from './log.ts';
export { createLogger, LOG_LEVELS } from './log.ts';
export type { DecodeResult, Payload, PayloadErrorCode } from './payload.ts';
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
} from './payload.ts';
export type { PcaFit } from './pca.ts';
export { fitPca } from './pca.ts';
export { scrubPii } from './pii.ts';
export type { Interest, ProfileParams, ProfileState } from './profile.ts';
export { createProfile, DEFAULT_PROFILE_PARAMS, MAX_INTERESTS } from './profile.ts';
export { isProfileState } from './profile-guard.ts';
export type { EmbeddedEvent } from './profile-update.ts';
export { replayProfile, updateProfile } from './profile-update.ts';
export type { ForYouWeights, NeighbourLists } from './recommend-scores.ts';
export {
  DEFAULT_RECOMMENDER,
  forYouWeights,
  neighbourScores,
  recencyWeights,
} from './recommend-scores.ts';
export type { Basis } from './reduce.ts';
export { project, randomProjectionBasis } from './reduce.ts';
export type { RiskHistory } from './risk.ts';
export {
  EMPTY_RISK_HISTORY,
  observeRisk,
  parseRiskHistory,
  RISK_MIN_HISTORY,
  riskScore,
  sessionDistance,
} from './risk.ts';
export type { SegmentMembership, SegmentVector } from './segments.ts';
export { SEGMENT_THRESHOLD, segmentMembership } from './segments.ts';
export { DESCRIPTION_CHARS, eventText, itemText, MAX_TEXT_CHARS, priceBand, productText } from './text.ts';
export { cosine, isFiniteVector } from './vector.ts';
