import type { PageStatus } from '@portrait/capture';
import { productIndex } from '../client/product-index.ts';
import { portrait } from '../client/tag.ts';
import { clearViewed } from '../client/viewed.ts';
import { esc } from '../render.ts';

// The "Your profile" drawer: what this device learned, what left it, and the shopper's controls.
// The drawer is a page script like any other, so it gets what the tag gives every page: counts
// and the model's state (status), interests as the departments of what the device ranks highest
// for this shopper (rerank, computed in the worker), and the export only as a download started
// by the shopper's click. The event log and the profile vectors stay in the worker.

// How many of the device's top-ranked products the interest bars are counted over.
const TOP = 20;

const PAUSED = 'portrait-demo-paused';
const kb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function bars(kind: 'long', list: { label: string; share: number }[]): string {
  if (!list.length) return '<p class="muted">Nothing learned yet.</p>';
  return `<ol class="bars" data-interests="${kind}">${list
    .slice(0, 5)
    .map(
      (i) =>
        `<li data-label="${esc(i.label)}" data-share="${i.share.toFixed(4)}"><span class="bar-label">${esc(i.label)}</span><span class="fill" style="--w:${(i.share * 100).toFixed(1)}%"></span><span class="bar-value">${Math.round(i.share * 100)}%</span></li>`,
    )
    .join('')}</ol>`;
}

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
    <dt>Last batch</dt><dd>${s.timings.lastBatchMs !== undefined ? `${s.timings.lastBatchMs.toFixed(1)} ms for ${s.timings.lastBatchSize} events` : '—'}</dd>
    <dt>Embeddings</dt><dd>${s.timings.modelRuns} model runs, ${s.timings.cacheHits} cache hits</dd>
    <dt>Storage</dt><dd>${esc(s.persistence.kind)}</dd>
  </dl>`;
}

function eventsSection(s: PageStatus | undefined): string {
  const n = s?.storedEvents ?? 0;
  return `<p><span class="stored-count" data-count="${n}">${n}</span> events stored on this device. Their list is in your export (Download my data).</p>`;
}

function syncSection(s: PageStatus | undefined): string {
  const sync = s?.lastSync;
  if (!sync) return '<p>Nothing sent yet.</p>';
  return `<p>Last sync ${new Date(sync.at).toLocaleTimeString()}, HTTP ${esc(String(sync.status))}: <b class="sync-bytes" data-bytes="${sync.bytes}">${sync.bytes} bytes</b> sent; the events themselves stayed here.</p>`;
}

/** Department shares among the products the worker ranks highest with the full profile. */
async function interestsSection(s: PageStatus | undefined): Promise<string> {
  const [ranked, products] = await Promise.all([portrait.call<{ id: string }[]>('rerank', TOP), productIndex()]);
  const counts = new Map<string, number>();
  for (const r of ranked ?? []) {
    const d = products.get(r.id)?.department;
    if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const list = [...counts].map(([label, n]) => ({ label, share: n / total })).sort((a, b) => b.share - a.share);
  const n = s?.profileEvents ?? 0;
  return `<section aria-labelledby="d-int"><h3 id="d-int">Top interests</h3>${bars('long', list)}
    <p class="muted small">Departments of the ${TOP} products this device ranks highest for you with your full profile (the shop sent only a candidate list), from <span class="profile-count" data-count="${n}">${n}</span> folded events.</p></section>`;
}

async function draw(body: Element) {
  const s = await portrait.status();
  const interests = await interestsSection(s);
  const paused = sessionStorage.getItem(PAUSED) === '1';
  body.innerHTML = `<section aria-labelledby="d-model"><h3 id="d-model">On-device model</h3>${modelSection(s)}</section>
  ${interests}
  <section aria-labelledby="d-events"><h3 id="d-events">Events stored on this device</h3>${eventsSection(s)}</section>
  <section aria-labelledby="d-sync"><h3 id="d-sync">What left this device</h3>${syncSection(s)}</section>
  <div class="controls" role="group" aria-label="Your data">
    <button type="button" data-do="pause" ${paused ? 'disabled' : ''}>Pause</button>
    <button type="button" data-do="resume" ${paused ? '' : 'disabled'}>Resume</button>
    <button type="button" data-do="export">Download my data (JSON)</button>
    <button type="button" data-do="forget" class="danger">Forget me</button>
  </div>
  <p class="muted small" role="status">${paused ? 'Paused: nothing new is recorded.' : 'Recording what you browse, on this device only.'}</p>`;
}

async function act(what: string) {
  if (what === 'pause') {
    sessionStorage.setItem(PAUSED, '1');
    await portrait.pause();
  } else if (what === 'resume') {
    sessionStorage.removeItem(PAUSED);
    await portrait.resume();
  } else if (what === 'export') {
    // Inside the shopper's click: the tag downloads the file itself and hands this page nothing.
    await portrait.exportData();
  } else if (what === 'forget') {
    await portrait.forget();
    clearViewed();
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
  body.addEventListener('click', async (e) => {
    const what = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-do]')?.dataset.do;
    if (!what) return;
    await act(what);
    await refresh();
  });
}
