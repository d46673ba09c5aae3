// The profile's path over the session: one point per profile change, kept in sessionStorage so
// it survives the shop's page loads (each page has its own worker) and ends with the tab.

export interface TrailPoint {
  count: number;
  long: [number, number];
  short: [number, number];
}

const KEY = 'portrait-demo-trail';

export function readTrail(): TrailPoint[] {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as TrailPoint[];
  } catch {
    return [];
  }
}

/** Adds a point when the profile has folded more events than the last point saw. */
export function extendTrail(p: TrailPoint): TrailPoint[] {
  const trail = readTrail();
  const last = trail.at(-1);
  if (!last || p.count > last.count) trail.push(p);
  else if (p.count < last.count) return resetTrail([p]);
  sessionStorage.setItem(KEY, JSON.stringify(trail.slice(-200)));
  return trail;
}

export function resetTrail(start: TrailPoint[] = []): TrailPoint[] {
  sessionStorage.setItem(KEY, JSON.stringify(start));
  return start;
}
