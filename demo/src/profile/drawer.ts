import type { ProfileState } from '@portrait/core';
import type { LocalExport, StoredEvent, WorkerStatus } from '@portrait/worker/contract';
import { productIndex } from '../client/product-index';
import { portrait } from '../client/tag';
import { esc } from '../render';
import { mapSvg } from './map';
import { interests, loadSpace, plane, type Space } from './space';
import { extendTrail, readTrail, resetTrail } from './trail';

// The "Your profile" drawer: what this device learned, what left it, and the shopper's controls.
// Every number comes from the tag's commands (status, export, call) at the moment it is drawn.

const PAUSED = 'portrait-demo-paused';
const kb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function bars(kind: 'long' | 'short', list: { label: string; share: number }[]): string {
  if (!list.length) return '<p class="muted">Nothing learned yet.</p>';
  return `<ol class="bars" data-interests="${kind}">${list
    .slice(0, 5)
    .map(
      (i) =>
        `<li data-label="${esc(i.label)}" data-share="${i.share.toFixed(4)}"><span class="bar-label">${esc(i.label)}</span><span class="fill" style="--w:${(i.share * 100).toFixed(1)}%"></span><span class="bar-value">${Math.round(i.share * 100)}%</span></li>`,
    )
    .join('')}</ol>`;
}

function modelSection(s: WorkerStatus | undefined): string {
  if (!s) return '<p class="muted">Portrait is not running on this page (blocked, no consent, or not loaded yet).</p>';
  const m = s.model;
  const p = m.progress;
  const pct = p?.total ? Math.round((100 * p.loaded) / p.total) : m.state === 'ready' ? 100 : 0;
  const backend = m.backend
    ? `${m.backend === 'webgpu' ? 'WebGPU' : 'WASM'}${m.threads ? `, ${m.threads} thread${m.threads > 1 ? 's' : ''}` : ''}`
    : '—';
  return `<label class="progress">Model download <progress max="100" value="${pct}">${pct}%</progress> <span>${p ? `${kb(p.loaded)} of ${kb(p.total)}` : m.state}</span></label>
  <dl class="facts">
    <dt>Model</dt><dd>${esc(m.id)} · ${esc(m.state)}</dd>
    <dt>Backend</dt><dd data-backend="${esc(m.backend ?? '')}">${esc(backend)}${m.reason ? ` <span class="muted">(${esc(m.reason)})</span>` : ''}</dd>
    <dt>Load time</dt><dd>${m.loadMs !== undefined ? `${Math.round(m.loadMs)} ms` : '—'}</dd>
    <dt>Last batch</dt><dd>${s.timings.lastBatchMs !== undefined ? `${s.timings.lastBatchMs.toFixed(1)} ms for ${s.timings.lastBatchSize} events` : '—'}</dd>
    <dt>Embeddings</dt><dd>${s.timings.modelRuns} model runs, ${s.timings.cacheHits} cache hits</dd>
    <dt>Storage</dt><dd>${esc(s.persistence.kind)}</dd>
  </dl>`;
}

function eventLabel(e: StoredEvent): string {
  return e.product?.title ?? e.query ?? e.name ?? '';
}

function eventsSection(exp: LocalExport | undefined): string {
  const events = [...(exp?.events ?? [])].sort((a, b) => b.ts - a.ts);
  const rows = events
    .slice(0, 25)
    .map(
      (e) =>
        `<li><span class="ev-type">${esc(e.type)}</span> ${esc(eventLabel(e))} <time class="muted">${new Date(e.ts).toLocaleTimeString()}</time></li>`,
    )
    .join('');
  return `<p><span class="stored-count" data-count="${events.length}">${events.length}</span> events stored on this device${events.length > 25 ? ' (latest 25 shown)' : ''}.</p>${rows ? `<ol class="events">${rows}</ol>` : ''}`;
}

function syncSection(s: WorkerStatus | undefined, exp: LocalExport | undefined): string {
  const raw = new TextEncoder().encode(JSON.stringify(exp?.events ?? [])).length;
  const sync = s?.lastSync;
  if (!sync)
    return `<p>Nothing sent yet. Raw events on the device: <b class="raw-bytes" data-bytes="${raw}">${raw.toLocaleString()} bytes</b>.</p>`;
  return `<p>Last sync ${new Date(sync.at).toLocaleTimeString()}, HTTP ${esc(String(sync.status))}: <b class="sync-bytes" data-bytes="${sync.bytes}">${sync.bytes} bytes</b> sent, vs <b class="raw-bytes" data-bytes="${raw}">${raw.toLocaleString()} bytes</b> of raw events that stayed here.</p>`;
}

function activeProfile(s: WorkerStatus | undefined, exp: LocalExport | undefined): ProfileState | undefined {
  return exp?.profiles.find((p) => p.modelId === s?.model.id) ?? exp?.profiles[0];
}

function interestsAndMap(space: Space | undefined, profile: ProfileState | undefined): string {
  if (!space)
    return '<p class="muted">The shop\'s catalogue vectors are unavailable, so interests cannot be named.</p>';
  const long = profile ? interests(space, profile.long) : [];
  const short = profile ? interests(space, profile.short) : [];
  const trail = profile?.count
    ? extendTrail({ count: profile.count, long: plane(space, profile.long), short: plane(space, profile.short) })
    : readTrail();
  const depts = space.departments.map((d) => ({ label: d.label, xy: plane(space, d.vector) }));
  return `<section aria-labelledby="d-int"><h3 id="d-int">Top interests</h3>
    <div class="two"><div><h4>Short-term (this session)</h4>${bars('short', short)}</div><div><h4>Long-term</h4>${bars('long', long)}</div></div>
    <p class="muted small">Similarity of your profile vectors to each department's average product (softmax over cosine), from <span class="profile-count" data-count="${profile?.count ?? 0}">${profile?.count ?? 0}</span> folded events.</p></section>
  <section aria-labelledby="d-map"><h3 id="d-map">Map</h3>${mapSvg(depts, trail)}
    <p class="muted small">The first two principal components of the shop's published basis (version ${space.basisVersion}; its ${space.basis.outDim} components keep ${Math.round(space.varianceKept * 100)} % of the catalogue's variance). <span class="key-long">━ long-term</span> <span class="key-short">┅ short-term</span>, one point per profile update.</p></section>`;
}

async function draw(body: Element) {
  const [s, exp, products] = await Promise.all([portrait.status(), portrait.exportData(), productIndex()]);
  const space = await loadSpace(portrait.collector(), products);
  const paused = sessionStorage.getItem(PAUSED) === '1';
  body.innerHTML = `<section aria-labelledby="d-model"><h3 id="d-model">On-device model</h3>${modelSection(s)}</section>
  ${interestsAndMap(space, activeProfile(s, exp))}
  <section aria-labelledby="d-events"><h3 id="d-events">Events stored on this device</h3>${eventsSection(exp)}</section>
  <section aria-labelledby="d-sync"><h3 id="d-sync">What left this device</h3>${syncSection(s, exp)}</section>
  <div class="controls" role="group" aria-label="Your data">
    <button type="button" data-do="pause" ${paused ? 'disabled' : ''}>Pause</button>
    <button type="button" data-do="resume" ${paused ? '' : 'disabled'}>Resume</button>
    <button type="button" data-do="export">Export (JSON)</button>
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
    const data = await portrait.exportData();
    // Float32Arrays become plain arrays so the file is readable JSON.
    const json = JSON.stringify(data, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v), 2);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    a.download = 'my-portrait-profile.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } else if (what === 'forget') {
    await portrait.forget();
    resetTrail();
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
