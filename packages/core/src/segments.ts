import type { ProfileState } from './profile.ts';
import { cosine } from './vector.ts';

/** One audience segment a merchant publishes: a short text, embedded once on the device. */
export interface SegmentVector {
  /** Position in the merchant's list: the id sent in segments-only payloads. */
  id: number;
  text: string;
  vector: Float32Array;
}

export interface SegmentMembership {
  id: number;
  text: string;
  /** Best cosine of the long-term vector or an interest centroid with the segment text. */
  similarity: number;
}

/** Default cosine a profile needs with a segment text to be a member (USE-Lite scale). */
export const SEGMENT_THRESHOLD = 0.35;

/**
 * Segments the shopper belongs to, computed on the device: the long-term vector or any interest
 * centroid with weight is at least `threshold` similar to the segment's text. Best first.
 */
export function segmentMembership(
  profile: ProfileState,
  segments: readonly SegmentVector[],
  threshold = SEGMENT_THRESHOLD,
): SegmentMembership[] {
  if (profile.count === 0) return [];
  const vectors = [profile.long, ...profile.interests.filter((c) => c.weight > 0).map((c) => c.vector)];
  return segments
    .map((s) => ({ id: s.id, text: s.text, similarity: Math.max(...vectors.map((v) => cosine(v, s.vector))) }))
    .filter((m) => m.similarity >= threshold)
    .sort((a, b) => b.similarity - a.similarity);
}
