import type { LocalExport } from '@portrait/worker/contract';
import type { ShopProduct } from '../products';
import { closestViewed, loadSpace } from '../profile/space';
import { productCard } from '../render';
import { catalogue } from './catalogue';
import { portrait } from './tag';

// "Recommended for you", in the two modes Portrait offers:
// - device: the collector's candidate list (ids and compact vectors only) ranked in the worker
//   with the full profile (`rerank`); nothing about the shopper leaves for this;
// - server: the collector ranks its catalogue against the compact vector the device synced
//   (`recommend`); lags the device by up to one sync interval.
// Each item says which viewed product it is closest to.

type Mode = 'device' | 'server';
const MODE = 'portrait-demo-rec-mode';
const K = 8;

const viewedIds = (exp: LocalExport | undefined) => {
  const seen: string[] = [];
  for (const e of [...(exp?.events ?? [])].sort((a, b) => b.ts - a.ts))
    if (e.product?.id && ['view', 'click', 'add_to_cart', 'dwell'].includes(e.type) && !seen.includes(e.product.id))
      seen.push(e.product.id);
  return seen;
};

async function ranked(mode: Mode): Promise<string[]> {
  if (mode === 'device') return ((await portrait.call<{ id: string }[]>('rerank', K * 2)) ?? []).map((r) => r.id);
  // Only once a sync was accepted: before that the collector has nothing for this device.
  const s = await portrait.status();
  if (!(typeof s?.lastSync?.status === 'number' && s.lastSync.status < 300)) return [];
  return ((await portrait.call<{ id: string }[]>('recommend', K * 2)) ?? []).map((r) => r.id);
}

async function render(section: Element, mode: Mode) {
  const products = await catalogue();
  const exp = await portrait.exportData();
  const viewed = viewedIds(exp);
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
  const space = await loadSpace(portrait.collector(), products);
  // Already-viewed products are not news: recommend the rest.
  const ids = (await ranked(mode)).filter((id) => !viewed.includes(id)).slice(0, K);
  const items = ids.map((id) => products.get(id)).filter((p): p is ShopProduct => !!p);
  if (items.length === 0) {
    status.textContent =
      mode === 'server'
        ? 'Waiting for the first sync of your profile to the shop…'
        : 'Your profile is being computed on this device…';
    return;
  }
  status.textContent =
    mode === 'device'
      ? `Ranked on this device from ${viewed.length} products you looked at.`
      : "Ranked by the shop's server from the compact vector your device sent.";
  grid.innerHTML = items
    .map((p) => {
      const because = space ? closestViewed(space, p.id, viewed.slice(0, 12)) : undefined;
      const title = because ? products.get(because)?.title : undefined;
      return productCard(p, title ? `Because you looked at ${title}` : undefined);
    })
    .join('');
  grid.setAttribute('data-departments', items.map((p) => p.department).join(','));
}

export function startRecommendations() {
  const section = document.querySelector('.recs');
  if (!section) return;
  let mode: Mode = sessionStorage.getItem(MODE) === 'server' ? 'server' : 'device';
  for (const r of section.querySelectorAll<HTMLInputElement>('input[name="rec-mode"]')) {
    r.checked = r.value === mode;
    r.addEventListener('change', () => {
      mode = r.value === 'server' ? 'server' : 'device';
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
      const state = `${mode}:${s?.profileEvents}:${s?.lastSync?.at}:${section.querySelectorAll('.recs-grid .card').length > 0}`;
      if (state === drawn) return;
      await render(section, mode);
      drawn = state;
    } finally {
      busy = false;
    }
  };
  void tick();
  setInterval(() => void tick(), 3000);
}
