import type { PageStatus } from '@portrait/capture';
import { DEFAULT_PROFILE_PARAMS } from '@portrait/core';
import { setArm } from '../client/holdout.ts';
import { productIndex } from '../client/product-index.ts';
import { portrait } from '../client/tag.ts';
import { clearViewed, forgetViewed, forgetViewedSince, viewedIds } from '../client/viewed.ts';
import type { ShopProduct } from '../products.ts';
import { esc } from '../render.ts';
import { placeLabels, plane, type Rect } from './chart.ts';
import { type Interests, interests, SESSION } from './interests.ts';
import { plainView } from './plain.ts';
import { departmentVectors, loadSpace } from './space.ts';
import type { Share } from './words.ts';

// The "Your profile" drawer: first the shopper's page (plain.ts: what this device learned, why
// the recommendations, what left it, the controls), then a collapsed "for engineers" section.
// The drawer is a page script like any other, so it gets what the tag gives every page: counts
// and the model's state (status), interests as the departments of what the device ranks highest
// for this shopper (rerank, computed in the worker), and the export only as a download started
// by the shopper's click. The event log and the profile vectors stay in the worker.

const PAUSED = 'portrait-demo-paused';
const kb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function modelSection(s: PageStatus | undefined): string {
  if (!s) return '<p class="muted">Portrait is not running on this page (blocked, no consent, or not loaded yet).</p>';
  const m = s.model;
  const p = m.progress;
  const pct = p?.total ? Math.round((100 * p.loaded) / p.total) : m.state === 'ready' ? 100 : 0;
  const backend = m.backend
    ? `${m.backend === 'webgpu' ? 'WebGPU' : 'WASM'}${m.threads ? `, ${m.threads} thread${m.threads > 1 ? 's' : ''}` : ''}`
    : '—';
  // The total is every file this device fetches (model and runtime .wasm), fixed from the first event.
  const files = p?.files ? ` · ${p.files.filter((f) => f.loaded >= f.total).length} of ${p.files.length} files` : '';
  return `<label class="progress"${p ? ` data-loaded="${p.loaded}" data-total="${p.total}"` : ''}>Model download <progress max="100" value="${pct}">${pct}%</progress> <span>${p ? `${kb(p.loaded)} of ${kb(p.total)}${files}` : m.state}</span></label>
  <dl class="facts">
    <dt>Model</dt><dd>${esc(m.id)} · ${esc(m.state)}</dd>
    <dt>Backend</dt><dd data-backend="${esc(m.backend ?? '')}">${esc(backend)}${m.reason ? ` <span class="muted">(${esc(m.reason)})</span>` : ''}</dd>
    <dt>Load time</dt><dd>${m.loadMs !== undefined ? `${Math.round(m.loadMs)} ms` : '—'}</dd>
    <dt>Last batch</dt><dd>${s.timings.lastBatchMs !== undefined ? `${s.timings.lastBatchMs.toFixed(1)} ms for ${s.timings.lastBatchSize} event${s.timings.lastBatchSize === 1 ? '' : 's'}` : '—'}</dd>
    <dt>Embeddings</dt><dd>${s.timings.modelRuns} model runs, ${s.timings.cacheHits} cache hits</dd>
    <dt>Storage</dt><dd>${esc(s.persistence.kind)}</dd>
  </dl>`;
}

/** Bars of one profile chart; `data-chart` (not plain.ts's `data-interests`) so the two never mix. */
function chart(kind: 'short' | 'long', list: Share[]): string {
  if (!list.length) return '<p class="muted small">Nothing learned yet.</p>';
  const top = list.slice(0, 6);
  return `<ol class="bars eng-bars" data-chart="${kind}">${top
    .map(
      (i) =>
        `<li data-label="${esc(i.label)}" data-share="${i.share.toFixed(4)}"><span class="bar-label">${esc(i.label)}</span><span class="fill" style="--w:${(i.share * 100).toFixed(1)}%"></span><span class="bar-value">${Math.round(i.share * 100)} %</span></li>`,
    )
    .join('')}</ol>`;
}

function interestsSection(i: Interests): string {
  const from =
    i.source === 'rerank'
      ? 'the products the worker ranks highest with your full profile (rerank), each weighing a softmax of its score at 0.1: explain() names nothing once the model is loaded and the shop set no labels'
      : "the worker's explain() (interest centroids 60 %, long-term vector 20 %, session 20 %, over the catalogue's category labels), read at twice its softmax temperature (0.1): a centroid between two departments shows as both, not as the nearer one";
  return `<div class="two-charts"><div><h4>Short-term (this session)</h4>${chart('short', i.short)}
    <p class="muted small">Departments of the shop's own list of your last ${SESSION} product pages, weighted as the profile's short-term vector weighs its events: the newest ${Math.round(DEFAULT_PROFILE_PARAMS.shortFloor * 100)} %, each older one ${Math.round((1 - DEFAULT_PROFILE_PARAMS.shortFloor) * 100)} % of the one after it.</p></div>
    <div><h4>Long-term</h4>${chart('long', i.long)}
    <p class="muted small">From ${from}. A purchase weighs ten product views, so one order moves these bars; an interest built over several views keeps its own centroid, and a share.</p></div></div>`;
}

// The map's labels' font size and margins (SVG user units). The map's width in user units is
// its width on screen (between 320 and 480), so a label is 12 px on a phone as on a desktop.
const MAP = { h: 300, pad: 16, font: 12 } as const;

/** A label's size before the browser can measure it: generous, so an estimate never undercuts. */
const estimate = (text: string) => ({ w: Math.ceil(text.length * MAP.font * 0.62) + 2, h: MAP.font + 3 });

let plotted: Promise<{ label: string; xy: [number, number] }[]> | undefined;

/** Departments on the plane of their average vectors, each axis scaled to [0, 1] (computed once). */
function departmentPoints(products: Map<string, ShopProduct>) {
  plotted ??= loadSpace(portrait.collector()).then((space) => {
    const depts = space ? departmentVectors(space, products) : [];
    const xy = plane(depts.map((d) => d.vector));
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    return depts.map((d, i) => {
      const [x, y] = xy[i] as [number, number];
      return { label: d.label, xy: [(x - x0) / (x1 - x0 || 1), (y - y0) / (y1 - y0 || 1)] as [number, number] };
    });
  });
  return plotted;
}

/** Where a set of shares puts the shopper: the departments' points, weighted by their shares. */
function at(points: Map<string, [number, number]>, shares: Share[]): [number, number] | undefined {
  let [x, y, w] = [0, 0, 0];
  for (const s of shares) {
    const p = points.get(s.label);
    if (!p) continue;
    x += s.share * p[0];
    y += s.share * p[1];
    w += s.share;
  }
  return w > 0 ? [x / w, y / w] : undefined;
}

async function mapSection(products: Map<string, ShopProduct>, i: Interests, width: number): Promise<string> {
  const unit = await departmentPoints(products);
  if (unit.length < 3)
    return '<p class="muted small">The shop\'s catalogue vectors are unavailable, so there is no map.</p>';
  const box = { w: Math.round(Math.max(320, Math.min(480, width || 480))), h: MAP.h };
  // Room at the sides for a label to sit beside its point.
  const [left, right, top, bottom] = [MAP.pad + 40, box.w - MAP.pad - 40, MAP.pad + 14, box.h - MAP.pad - 14];
  const depts = unit.map((d) => ({
    label: d.label,
    xy: [left + d.xy[0] * (right - left), bottom - d.xy[1] * (bottom - top)] as [number, number],
  }));
  const points = new Map(depts.map((d) => [d.label, d.xy]));
  const you = [
    { label: 'you, long-term', xy: at(points, i.long), kind: 'you-long' },
    { label: 'you, this session', xy: at(points, i.short), kind: 'you-short' },
  ].flatMap((y) => (y.xy ? [{ ...y, xy: y.xy }] : []));
  const all = [...depts.map((d) => ({ ...d, kind: 'dept' })), ...you];
  const rects = placeLabels(
    all.map((p) => ({ x: p.xy[0], y: p.xy[1], ...estimate(p.label) })),
    box,
  );
  const marks = all
    .map((p, n) => {
      const r = rects[n] as Rect;
      const [x, y] = p.xy.map((v) => v.toFixed(1));
      const dot =
        p.kind === 'dept'
          ? `<circle cx="${x}" cy="${y}" r="3.5" class="dept"/>`
          : `<circle cx="${x}" cy="${y}" r="6" class="${p.kind}"/>`;
      return `<g class="map-point" data-x="${x}" data-y="${y}">${dot}<line class="leader" x1="${x}" y1="${y}" x2="${x}" y2="${y}"/><text class="map-label ${p.kind}" x="${r.x.toFixed(1)}" y="${(r.y + MAP.font).toFixed(1)}">${esc(p.label)}</text></g>`;
    })
    .join('');
  return `<svg class="map" viewBox="0 0 ${box.w} ${box.h}" role="img" aria-label="Map of the shop's departments with where your profile sits">${marks}</svg>
    <p class="muted small">Each department at its average product vector (the shop's published catalogue vectors) on their first two principal components, axes stretched to fill the box. <span class="key-long">●</span> you, long-term and <span class="key-short">○</span> you, this session: the departments' points weighted by the bars above, so a profile shared by two departments sits between them, whatever else lies there on this plane.</p>`;
}

/**
 * Places the map's labels again with the sizes the browser measured (the estimate is only the
 * first guess), and draws a leader line to a label that had to move away from its point.
 */
function relayout(body: Element) {
  try {
    place(body);
  } catch {
    // The estimate's placement stays: measuring is only a refinement.
  }
}

function place(body: Element) {
  const svg = body.querySelector<SVGSVGElement>('svg.map');
  // Not rendered (the section is closed): nothing to measure.
  if (!svg?.getClientRects().length) return;
  const groups = [...svg.querySelectorAll<SVGGElement>('g.map-point')];
  const texts = groups.map((g) => g.querySelector('text') as SVGTextElement);
  const boxes = texts.map((t) => t.getBBox());
  if (boxes.some((b) => !(b.width > 0))) return;
  const rects = placeLabels(
    groups.map((g, n) => ({
      x: Number(g.dataset.x),
      y: Number(g.dataset.y),
      w: Math.ceil((boxes[n] as DOMRect).width) + 1,
      h: Math.ceil((boxes[n] as DOMRect).height) + 1,
    })),
    { w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height },
  );
  groups.forEach((g, n) => {
    const [t, b, r] = [texts[n] as SVGTextElement, boxes[n] as DOMRect, rects[n] as Rect];
    // The box's offset from the text's own x/y (the baseline): kept as the text moves.
    const dx = b.x - Number(t.getAttribute('x'));
    const dy = b.y - Number(t.getAttribute('y'));
    t.setAttribute('x', (r.x - dx).toFixed(1));
    t.setAttribute('y', (r.y - dy).toFixed(1));
    const [px, py] = [Number(g.dataset.x), Number(g.dataset.y)];
    const [cx, cy] = [Math.max(r.x, Math.min(px, r.x + r.w)), Math.max(r.y, Math.min(py, r.y + r.h))];
    const line = g.querySelector('line');
    if (line && Math.hypot(cx - px, cy - py) > 12) {
      line.setAttribute('x2', cx.toFixed(1));
      line.setAttribute('y2', cy.toFixed(1));
    }
  });
}

function eventsSection(s: PageStatus | undefined, products: Map<string, ShopProduct>): string {
  const row = (what: string, n: number | undefined, key: string) =>
    `<tr><th scope="row">${what}</th><td class="num" data-count-of="${key}">${(n ?? 0).toLocaleString('en')}</td></tr>`;
  const viewed = viewedIds()
    .slice(0, 8)
    .flatMap((id) => products.get(id) ?? []);
  return `<table class="counts"><tbody>
    ${row('Stored on this device', s?.storedEvents, 'stored')}
    ${row('Waiting to be folded', s?.pendingEvents, 'pending')}
    ${row('Folded into the profile', s?.profileEvents, 'folded')}
    ${row('Item vectors from the catalogue', s?.timings.catalogueHits, 'catalogue')}
    ${row('Model runs', s?.timings.modelRuns, 'model')}
    ${row('Embedding cache hits', s?.timings.cacheHits, 'cache')}
  </tbody></table>
  <p class="muted small"><span class="stored-count" data-count="${s?.storedEvents ?? 0}">${s?.storedEvents ?? 0}</span> events: views, dwell, clicks, searches, cart steps and the product cards you saw (impressions, a tenth of a view each). A page script gets only these counts; the list itself is in your export (Download my data).</p>
  ${viewed.length ? `<h4>The shop's own list: your last product pages</h4><ol class="viewed">${viewed.map((p) => `<li><span>${esc(p.title)}</span> <span class="muted">${esc(p.department)}</span></li>`).join('')}</ol>` : ''}`;
}

function syncSection(s: PageStatus | undefined): string {
  const sync = s?.lastSync;
  if (!sync) return '<p>Nothing sent yet.</p>';
  return `<p>Last sync ${new Date(sync.at).toLocaleTimeString()}, HTTP ${esc(String(sync.status))}: <b class="sync-bytes" data-bytes="${sync.bytes}">${sync.bytes} bytes</b> sent; the events themselves stayed here.</p>`;
}

// The last control's outcome, shown under the controls until the next one.
let result = '';

async function draw(body: Element) {
  const s = await portrait.status();
  const paused = sessionStorage.getItem(PAUSED) === '1';
  const [plain, products] = await Promise.all([plainView(s, paused, result), productIndex()]);
  const i = await interests(products);
  // The map is drawn at the width the drawer gives it (its padding off).
  const map = await mapSection(products, i, body.clientWidth - 40);
  // The drawer is redrawn every 2 s: what the shopper opened or picked stays as it was.
  const open = new Set(
    [...body.querySelectorAll<HTMLDetailsElement>('details[data-keep]')]
      .filter((d) => d.open)
      .map((d) => d.dataset.keep),
  );
  const days = body.querySelector<HTMLSelectElement>('.forget-days')?.value;
  body.innerHTML = `${plain}
  <details class="engineers" data-keep="engineers"><summary>For engineers</summary>
  <section aria-labelledby="d-model"><h3 id="d-model">On-device model</h3>${modelSection(s)}</section>
  <section aria-labelledby="d-int"><h3 id="d-int">Interests</h3>${interestsSection(i)}</section>
  <section aria-labelledby="d-map"><h3 id="d-map">Map</h3>${map}</section>
  <section aria-labelledby="d-events"><h3 id="d-events">Events stored on this device</h3>${eventsSection(s, products)}</section>
  <section aria-labelledby="d-sync"><h3 id="d-sync">Last sync</h3>${syncSection(s)}</section>
  </details>`;
  for (const d of body.querySelectorAll<HTMLDetailsElement>('details[data-keep]')) d.open = open.has(d.dataset.keep);
  const select = body.querySelector<HTMLSelectElement>('.forget-days');
  if (select && days) select.value = days;
  relayout(body);
}

async function act(what: string, el: HTMLElement, body: Element) {
  if (what === 'pause') {
    sessionStorage.setItem(PAUSED, '1');
    await portrait.pause();
    result = 'Paused: nothing you do is recorded until you resume.';
  } else if (what === 'resume') {
    sessionStorage.removeItem(PAUSED);
    await portrait.resume();
    result = 'Recording again, on this device only.';
  } else if (what === 'export') {
    // Inside the shopper's click: the tag downloads the file itself and hands this page nothing.
    result = (await portrait.exportData())
      ? 'Downloaded portrait-export.json: every event and the profile this device holds.'
      : 'Nothing to download: Portrait is not running on this page.';
  } else if (what === 'forget-item') {
    const id = el.dataset.id ?? '';
    const title = (await productIndex()).get(id)?.title ?? id;
    const done = await portrait.call<boolean>('forgetItem', id);
    forgetViewed(id);
    result = done
      ? `Forgot \u201c${title}\u201d: its events are gone from this device and your profile was recomputed without it.`
      : `Could not forget \u201c${title}\u201d: Portrait is not running on this page.`;
  } else if (what === 'forget-days') {
    const days = Number(body.querySelector<HTMLSelectElement>('.forget-days')?.value ?? 1);
    const since = Date.now() - days * 86_400_000;
    const done = await portrait.call<boolean>('forgetSince', since);
    forgetViewedSince(since);
    const span = days === 1 ? 'day' : `${days} days`;
    result = done
      ? `Forgot the last ${span}: what you did since ${new Date(since).toLocaleString('en')} is gone and your profile was recomputed.`
      : 'Could not forget: Portrait is not running on this page.';
  } else if (what === 'forget') {
    const done = await portrait.forget();
    clearViewed();
    result = done
      ? "Everything is gone from this device, and the shop's server was asked to erase its copy."
      : 'Could not forget: Portrait is not running on this page.';
  } else if (what === 'join-arm') {
    setArm('on');
    result = 'Your recommendations use your profile from the next page on.';
  }
}

/** Wires the header button and the dialog; pausing is remembered for the tab's session. */
export function startDrawer() {
  if (sessionStorage.getItem(PAUSED) === '1') void portrait.pause();
  const dialog = document.querySelector<HTMLDialogElement>('#profile');
  const body = dialog?.querySelector('.drawer-body');
  if (!dialog || !body) return;
  let timer: ReturnType<typeof setInterval> | undefined;
  let drawing = false;
  const refresh = async () => {
    if (drawing) return;
    drawing = true;
    try {
      await draw(body);
    } catch {
      // A failed redraw (the tag gone, a fetch refused) keeps what is drawn; the next one retries.
    } finally {
      drawing = false;
    }
  };
  document.querySelector('.profile-open')?.addEventListener('click', () => {
    dialog.showModal();
    void refresh();
    timer = setInterval(() => void refresh(), 2000);
  });
  dialog.querySelector('.drawer-close')?.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the panel) closes it, as in most shops' drawers.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => clearInterval(timer));
  // Opening "For engineers" renders the map: its labels can be measured and placed only then.
  body.addEventListener('toggle', () => relayout(body), true);
  body.addEventListener('click', async (e) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-do]');
    const what = button?.dataset.do;
    if (!button || !what) return;
    await act(what, button, body);
    await refresh();
  });
}
