import type { PageStatus } from '@portrait/capture';
import { setArm } from '../client/holdout.ts';
import { productIndex } from '../client/product-index.ts';
import { portrait } from '../client/tag.ts';
import { clearViewed, forgetViewed, forgetViewedSince } from '../client/viewed.ts';
import { esc } from '../render.ts';
import { plainView } from './plain.ts';

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

// The last control's outcome, shown under the controls until the next one.
let result = '';

async function draw(body: Element) {
  const s = await portrait.status();
  const paused = sessionStorage.getItem(PAUSED) === '1';
  const plain = await plainView(s, paused, result);
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
  <section aria-labelledby="d-events"><h3 id="d-events">Events stored on this device</h3>${eventsSection(s)}</section>
  <section aria-labelledby="d-sync"><h3 id="d-sync">Last sync</h3>${syncSection(s)}</section>
  </details>`;
  for (const d of body.querySelectorAll<HTMLDetailsElement>('details[data-keep]')) d.open = open.has(d.dataset.keep);
  const select = body.querySelector<HTMLSelectElement>('.forget-days');
  if (select && days) select.value = days;
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
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-do]');
    const what = button?.dataset.do;
    if (!button || !what) return;
    await act(what, button, body);
    await refresh();
  });
}
