import { portrait } from './tag.ts';

// The merchant view's two device-side figures, reported as sums only (POST /v1/aggregate: no id,
// no time, no page, no product):
// - the holdout: each device picks, once and by itself, whether its recommendations use the
//   profile ('on') or not ('off', a fixed shop order for everyone), then adds its impressions and
//   clicks of the recommendation list to its arm's counters;
// - the milestones: on its 1st, 3rd and 5th page a device says once whether it had a profile by then.
// Nothing is reported while Portrait is off (no consent, blocked) or paused.

const ARM = 'portrait-demo-arm';
const PAGES = 'portrait-demo-pages';
const REPORTED = 'portrait-demo-milestones';
const PAUSED = 'portrait-demo-paused';
/** Share of devices in the holdout. */
export const HOLDOUT_SHARE = 0.1;
const MILESTONES = [1, 3, 5] as const;

export type Arm = 'on' | 'off';

/** This device's arm, chosen on the first call and kept. */
export function arm(): Arm {
  try {
    const kept = localStorage.getItem(ARM);
    if (kept === 'on' || kept === 'off') return kept;
    const pick: Arm = (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) / 2 ** 32 < HOLDOUT_SHARE ? 'off' : 'on';
    localStorage.setItem(ARM, pick);
    return pick;
  } catch {
    // Storage blocked: no stable arm, so this device stays out of the comparison.
    return 'on';
  }
}

/** Lets the shopper leave (or join) the comparison group from the profile page. */
export function setArm(a: Arm) {
  localStorage.setItem(ARM, a);
}

const pending = { impressions: 0, clicks: 0 };
const shown = new Set<string>();

// Whether Portrait runs on this page (consent given, not blocked): known once its status answered.
let running = false;

// Synchronous up to the fetch: a click's report must leave before the page unloads.
function send(report: Record<string, number>) {
  try {
    const collector = portrait.collector();
    if (!collector || !running || sessionStorage.getItem(PAUSED) === '1') return;
    // text/plain: a simple request, no preflight; keepalive so a click's report survives the navigation.
    void fetch(new URL('/v1/aggregate', collector), {
      method: 'POST',
      body: JSON.stringify(report),
      headers: { 'content-type': 'text/plain' },
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      keepalive: true,
    }).catch(() => {
      // A lost report is a slightly smaller sum, never the shopper's problem.
    });
  } catch {
    // Same: a URL or fetch that throws at once costs one report.
  }
}

function flush() {
  if (pending.impressions === 0 && pending.clicks === 0) return;
  const a = arm();
  // The collector takes at most 100 per counter and report.
  const impressions = Math.min(100, pending.impressions);
  const clicks = Math.min(impressions, pending.clicks);
  pending.impressions = 0;
  pending.clicks = 0;
  void send(
    a === 'on' ? { onImpressions: impressions, onClicks: clicks } : { offImpressions: impressions, offClicks: clicks },
  );
}

/** Recommendation cards drawn in this page: each counts once per page. */
export function countImpressions(ids: readonly string[]) {
  for (const id of ids) {
    if (shown.has(id)) continue;
    shown.add(id);
    pending.impressions++;
  }
}

/** A click on a recommendation: reported at once, as the page is about to go. */
export function countClick() {
  pending.clicks++;
  if (pending.clicks > pending.impressions) pending.impressions = pending.clicks;
  flush();
}

/** Counts this page and reports a milestone reached, once the page had a moment to fold its view. */
export function startReporting() {
  let pages: number;
  try {
    if (sessionStorage.getItem(PAUSED) === '1') return;
    pages = Number(localStorage.getItem(PAGES) ?? '0') + 1;
    localStorage.setItem(PAGES, String(pages));
  } catch {
    // Storage blocked: a milestone could not be reported once only, so none is.
    return;
  }
  void portrait.status().then((s) => {
    running = s !== undefined;
  });
  setTimeout(async () => {
    const s = await portrait.status();
    running = s !== undefined;
    let done: number[] = [];
    try {
      const kept: unknown = JSON.parse(localStorage.getItem(REPORTED) ?? '[]');
      done = Array.isArray(kept) ? kept.filter((m): m is number => typeof m === 'number') : [];
    } catch {
      return;
    }
    const due = MILESTONES.filter((m) => m <= pages && !done.includes(m));
    if (!s || due.length === 0) return;
    const has = s.profileEvents > 0 ? 1 : 0;
    const report: Record<string, number> = {};
    for (const m of due) {
      report[`pages${m}`] = 1;
      report[`pages${m}Profile`] = has;
    }
    localStorage.setItem(REPORTED, JSON.stringify([...done, ...due]));
    send(report);
  }, 3000);
  setInterval(flush, 10_000);
  addEventListener('pagehide', flush);
}
