import { rankItems } from '@portrait/core';
import type { ShopProduct } from '../products.ts';
import { closestViewed, loadSpace, type Space } from '../profile/space.ts';
import { productCard } from '../render.ts';
import { arm, countClick, countImpressions } from './holdout.ts';
import { productIndex } from './product-index.ts';
import { reasonInWords } from './surfaces.ts';
import { portrait } from './tag.ts';
import { viewedIds } from './viewed.ts';

// "Recommended for you", in three modes:
// - session: ranked in this page by the shop's own recently-viewed list (the mean of the last few
//   products' vectors, from the catalogue vectors the collector publishes to every device); the
//   page never sees Portrait's profile or event log, so this mode uses only what the shop knows;
// - device: the collector's candidate list (ids and compact vectors only) ranked in the worker
//   with the full profile (`rerank`), long-term first; nothing about the shopper leaves for this;
// - for-you: the worker's on-device "for you" (`forYou`): the profile, the merchant's order-log
//   neighbours of what the shopper viewed and the shop's popularity, each item with its reason;
// - server: the collector ranks its catalogue against the compact vector the device synced
//   (`recommend`); lags the device by up to one sync interval.
// Each item says which viewed product it is closest to.

type Mode = 'session' | 'device' | 'for-you' | 'server';
const MODES: readonly Mode[] = ['session', 'device', 'for-you', 'server'];
const MODE = 'portrait-demo-rec-mode';
const K = 8;

// The products that make "this session": the last few the shopper opened.
const RECENT = 5;

function sessionRanked(space: Space, viewed: string[], exclude: string[]): string[] {
  const recent = viewed.slice(0, RECENT).flatMap((id) => space.items.get(id) ?? []);
  const first = recent[0];
  if (!first) return [];
  const mean = new Float32Array(first.length);
  for (const v of recent)
    for (let i = 0; i < v.length; i++) mean[i] = (mean[i] as number) + (v[i] as number) / recent.length;
  const items = [...space.items].filter(([id]) => !exclude.includes(id)).map(([id, vector]) => ({ id, vector }));
  return rankItems([mean], items, K * 2).map((r) => r.id);
}

// The holdout's list: the same for every device, one product of each department in turn, so the
// comparison group sees a shop's generic "popular" shelf and no profile at all.
function shopOrder(products: Map<string, ShopProduct>): string[] {
  const byDept = new Map<string, string[]>();
  for (const p of products.values()) byDept.set(p.department, [...(byDept.get(p.department) ?? []), p.id]);
  const lists = [...byDept.values()];
  const out: string[] = [];
  for (let i = 0; out.length < products.size; i++) for (const l of lists) if (l[i]) out.push(l[i] as string);
  return out;
}

// "For you" answers its reasons with the ids: they are drawn as given, not re-derived here.
type Reasoned = { id: string; reason: string; because?: string };

async function ranked(mode: Mode, reasons: Map<string, Reasoned>): Promise<string[]> {
  if (mode === 'for-you') {
    const list = await portrait.call<Reasoned[]>('forYou', K * 2);
    if (!Array.isArray(list)) return [];
    for (const r of list) reasons.set(r.id, r);
    return list.map((r) => r.id);
  }
  if (mode === 'device') return ((await portrait.call<{ id: string }[]>('rerank', K * 2)) ?? []).map((r) => r.id);
  // Only once a sync was accepted: before that the collector has nothing for this device.
  const s = await portrait.status();
  if (!(typeof s?.lastSync?.status === 'number' && s.lastSync.status < 300)) return [];
  return ((await portrait.call<{ id: string }[]>('recommend', K * 2)) ?? []).map((r) => r.id);
}

async function render(section: Element, mode: Mode) {
  const products = await productIndex();
  const viewed = viewedIds();
  const status = section.querySelector('.recs-status');
  const grid = section.querySelector('.recs-grid');
  if (!grid || !status) return;
  section.setAttribute('data-mode', mode);
  // A new shopper gets no empty box: the section shows once there is something to say.
  (section as HTMLElement).hidden = viewed.length === 0;
  if (viewed.length === 0) {
    grid.innerHTML = '';
    return;
  }
  const space = await loadSpace(portrait.collector());
  const holdout = arm() === 'off';
  const reasons = new Map<string, Reasoned>();
  // Already-viewed products are not news: recommend the rest.
  const order = holdout
    ? shopOrder(products)
    : mode === 'session'
      ? space
        ? sessionRanked(space, viewed, viewed)
        : []
      : await ranked(mode, reasons);
  const ids = order.filter((id) => !viewed.includes(id)).slice(0, K);
  const items = ids.map((id) => products.get(id)).filter((p): p is ShopProduct => !!p);
  if (items.length === 0) {
    status.textContent =
      mode === 'server'
        ? 'Waiting for the first sync of your profile to the shop…'
        : 'Your profile is being computed on this device…';
    return;
  }
  status.textContent = holdout
    ? 'Shop favourites: this device is in the comparison group, so these do not use your profile.'
    : {
        session: `Ranked in this page from the shop's own list of what you looked at (${viewed.length} products).`,
        device: 'Ranked on this device by your long-term taste (the shop sent only a candidate list).',
        'for-you':
          "For you, ranked on this device: your profile, what the shop's customers bought after what you viewed, and what is popular.",
        server: "Ranked by the shop's server from the compact vector your device sent.",
      }[mode];
  grid.innerHTML = items
    .map((p) => {
      if (holdout) return productCard(p, 'Popular in the shop');
      const given = reasons.get(p.id);
      if (given)
        return productCard(p, reasonInWords(given, given.because ? products.get(given.because)?.title : undefined));
      const because = space ? closestViewed(space, p.id, viewed.slice(0, 12)) : undefined;
      const title = because ? products.get(because)?.title : undefined;
      return productCard(p, title ? `Because you looked at ${title}` : undefined);
    })
    .join('');
  countImpressions(items.map((p) => p.id));
  grid.setAttribute('data-departments', items.map((p) => p.department).join(','));
}

export function startRecommendations() {
  const section = document.querySelector('.recs');
  if (!section) return;
  // A click on a recommended card, for the holdout's click-through (a sum, see holdout.ts).
  section.addEventListener('click', (e) => {
    if ((e.target as Element).closest('.recs-grid a')) countClick();
  });
  let mode: Mode = MODES.find((m) => m === sessionStorage.getItem(MODE)) ?? 'session';
  for (const r of section.querySelectorAll<HTMLInputElement>('input[name="rec-mode"]')) {
    r.checked = r.value === mode;
    r.addEventListener('change', () => {
      mode = MODES.find((m) => m === r.value) ?? 'session';
      sessionStorage.setItem(MODE, mode);
      void tick();
    });
  }
  let busy = false;
  let drawn = '';
  const tick = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      // The profile keeps folding in the worker: re-rank when it changed (a status call costs no
      // network), so the list visibly follows it without fetching candidates for nothing.
      const s = await portrait.status();
      // "For you" reads the shopper's recent items too: a stored event (before its fold) counts.
      const stored = mode === 'for-you' ? s?.storedEvents : '';
      const state = `${mode}:${stored}:${s?.profileEvents}:${s?.lastSync?.at}:${section.querySelectorAll('.recs-grid .card').length > 0}`;
      if (state === drawn) return;
      await render(section, mode);
      drawn = state;
    } finally {
      busy = false;
    }
  };
  void tick();
  // Often enough that a list follows a new event within a second; a tick with no change is one status call.
  setInterval(() => void tick(), 300);
}
