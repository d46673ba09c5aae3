export function isFiniteVector(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  return Math.sqrt(s);
}

/** Cosine similarity; 0 when either vector is zero (or the sum overflows), so callers never see NaN. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  const c = dot / Math.sqrt(na * nb);
  return Number.isFinite(c) ? Math.max(-1, Math.min(1, c)) : 0;
}

// A unit-length copy, or undefined for a zero, non-finite or overflowing vector.
export function unit(v: ArrayLike<number>): Float32Array | undefined {
  if (!isFiniteVector(v)) return undefined;
  // Scale by the max first so huge (but finite) components cannot overflow the sum of squares.
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i] as number));
  if (max === 0) return undefined;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += ((v[i] as number) / max) ** 2;
  const n = max * Math.sqrt(s);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / n;
  return isFiniteVector(out) && norm(out) > 0 ? out : undefined;
}

// `p + step * (e - p)` into a new array, then scaled down to norm <= 1 if a push-away grew it.
export function moveToward(p: Float32Array, e: Float32Array, step: number): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < out.length; i++) {
    const x = p[i] as number;
    out[i] = x + step * ((e[i] as number) - x);
  }
  return clipNorm(out);
}

// Weighted mean of two vectors (weights >= 0, not both 0).
export function blend(a: Float32Array, wa: number, b: Float32Array, wb: number): Float32Array {
  const total = wa + wb;
  const t = total > 0 ? wb / total : 0.5;
  return moveToward(a, b, t);
}

function clipNorm(v: Float32Array): Float32Array {
  const n = norm(v);
  // Float32 rounding can leave a convex combination of unit vectors a hair above 1.
  if (n > 1) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / n;
  return v;
}
