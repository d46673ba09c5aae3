/** The number at the first of `paths` (dot-separated keys) that holds a finite number, else undefined. */
export function numberAt(json: unknown, ...paths: string[]): number | undefined {
  for (const path of paths) {
    let v: unknown = json;
    for (const key of path.split('.'))
      v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** The object at a dot-separated path, if it is one. */
export function objectAt(json: unknown, path: string): Record<string, unknown> | undefined {
  let v: unknown = json;
  for (const key of path.split('.'))
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
