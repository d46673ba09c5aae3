import { createHash } from 'node:crypto';

// The merchant view: one static page, no secrets in it. It asks for the admin token only when
// /v1/merchant answers 401, keeps it in a variable (never in the URL, storage or a cookie) and
// sends it as `authorization: Bearer`. Everything from the API is set as text, never as HTML.
const script = `
const $ = (id) => document.getElementById(id);
const NS = 'http://www.w3.org/2000/svg';
let token;
const el = (name, attrs, text) => {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
};
const pct = (x) => (100 * x).toFixed(1) + ' %';
function bars(svgId, rows, opts) {
  const svg = $(svgId);
  svg.replaceChildren();
  // Drawn at the element's own width, so text keeps its size on a phone; narrow, each label sits
  // above its bar instead of beside it.
  const W = Math.max(280, Math.round(svg.clientWidth || 640));
  const stacked = W < 480;
  const label = stacked ? 0 : (opts.labelWidth ?? 200);
  const valueSpace = 150, rowH = stacked ? 44 : 28, H = Math.max(1, rows.length) * rowH + 8;
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  const max = Math.max(opts.max ?? 0, ...rows.map((r) => r.value), 1e-9);
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const barY = stacked ? y + 20 : y + 4;
    if (stacked) svg.append(el('text', { x: 0, y: y + 14, class: 'lab' }, r.label));
    else svg.append(el('text', { x: label - 8, y: y + 18, 'text-anchor': 'end', class: 'lab' }, r.label));
    const w = Math.max(2, ((W - label - valueSpace) * r.value) / max);
    svg.append(el('rect', { x: label, y: barY, width: w, height: 18, rx: 3, class: r.cls ?? 'bar' }));
    svg.append(el('text', { x: label + w + 6, y: barY + 14, class: 'val' }, r.text));
  });
}
function syncChart(series) {
  const svg = $('sync-chart');
  svg.replaceChildren();
  const W = Math.max(280, Math.round(svg.clientWidth || 640)), H = 160, n = series.length, bw = (W - 40) / n;
  const max = Math.max(1, ...series.map((s) => s.ok + s.errors + s.rateLimited));
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (H + 24));
  series.forEach((s, i) => {
    let y = H;
    for (const [k, cls] of [['ok', 'ok'], ['errors', 'err'], ['rateLimited', 'rl']]) {
      const h = (H - 10) * s[k] / max;
      if (h > 0) svg.append(el('rect', { x: 40 + i * bw, y: y - h, width: bw - 2, height: h, class: cls }));
      y -= h;
    }
  });
  svg.append(el('text', { x: 36, y: 14, 'text-anchor': 'end', class: 'val' }, String(max)));
  svg.append(el('text', { x: 40, y: H + 18, class: 'val' }, '-30 min'));
  svg.append(el('text', { x: W, y: H + 18, 'text-anchor': 'end', class: 'val' }, 'now'));
}
let last;
function render(m) {
  last = m;
  $('k').textContent = String(m.k);
  $('profiles').textContent = m.profiles.toLocaleString('en');
  if (m.audiences.length === 0) {
    $('audiences-empty').hidden = false;
    $('audiences-chart').replaceChildren();
  } else {
    $('audiences-empty').hidden = true;
    bars('audiences-chart', m.audiences.map((a) => ({ label: a.name, value: a.devices, text: a.devices.toLocaleString('en') + ' devices' })), { labelWidth: 220 });
  }
  $('syncs-min').textContent = String(m.sync.perMinute);
  $('sync-errors').textContent = String(m.sync.errors);
  $('sync-rl').textContent = String(m.sync.rateLimited);
  $('erasures').textContent = String(m.sync.pendingErasures);
  syncChart(m.sync.series);
  bars('milestones-chart', m.milestones.map((s) => ({ label: 'after ' + s.pages + ' page' + (s.pages > 1 ? 's' : ''), value: s.share, text: s.devices ? pct(s.share) + ' of ' + s.devices : 'no visitors yet' })), { max: 1, labelWidth: 120 });
  $('bytes-visitor').textContent = Math.round(m.bytes.perVisitor).toLocaleString('en') + ' B';
  $('bytes-sync').textContent = Math.round(m.bytes.perSync).toLocaleString('en') + ' B';
  const h = m.holdout;
  bars('holdout-chart', [
    { label: 'ranked on the profile', value: h.on.ctr, text: pct(h.on.ctr) + ' (' + h.on.clicks + ' / ' + h.on.impressions + ')', cls: 'on' },
    { label: 'holdout (no profile)', value: h.off.ctr, text: pct(h.off.ctr) + ' (' + h.off.clicks + ' / ' + h.off.impressions + ')', cls: 'off' },
  ], { labelWidth: 180 });
  $('lift').textContent = h.on.impressions && h.off.impressions
    ? 'Lift ' + (h.lift >= 0 ? '+' : '') + pct(h.lift) + ', z = ' + h.z.toFixed(2) + (Math.abs(h.z) > 1.96 ? ' (significant at 95 %)' : ' (not yet significant)')
    : 'No holdout impressions yet.';
  $('updated').textContent = 'Updated ' + new Date(m.generatedAt).toLocaleTimeString('en');
}
async function load() {
  const r = await fetch('/v1/merchant', { headers: token ? { authorization: 'Bearer ' + token } : {} });
  if (r.status === 401) {
    token = undefined;
    $('login').hidden = false;
    $('view').hidden = true;
    return;
  }
  $('login').hidden = true;
  $('view').hidden = false;
  render(await r.json());
}
$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('token').value.trim();
  $('token').value = '';
  void load();
});
void load();
// Charts are drawn at their element's width: a rotated phone or a resized window redraws them.
addEventListener('resize', () => { if (last && !$('view').hidden) render(last); });
setInterval(() => { if (!$('view').hidden) void load(); }, 5000);
`;

const style = `
[hidden]{display:none!important}
body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1d2330;color:#fff;padding:14px 20px}header h1{margin:0;font-size:18px}
main{max-width:1100px;margin:0 auto;padding:16px;display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr))}
section{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 3px #0002}
h2{font-size:16px;margin:0 0 6px}p.note{color:#5a6372;font-size:13px;margin:4px 0 8px}
.tiles{display:flex;gap:18px;flex-wrap:wrap}.tile b{display:block;font-size:24px}.tile span{color:#5a6372;font-size:13px}
svg{width:100%;height:auto}.lab{font-size:13px;fill:#1d2330}.val{font-size:12px;fill:#5a6372}
.bar{fill:#3d6fd8}.on{fill:#2f9e6b}.off{fill:#9aa3b2}.ok{fill:#2f9e6b}.err{fill:#d64545}.rl{fill:#e0a030}
form{max-width:420px;margin:40px auto;background:#fff;padding:20px;border-radius:10px}input{width:100%;padding:8px;margin:8px 0;box-sizing:border-box}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}.k-ok{background:#2f9e6b}.k-err{background:#d64545}.k-rl{background:#e0a030}
`;

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** The merchant view's HTML and the headers that keep it self-contained (no external script, style, frame). */
export const MERCHANT_PAGE = {
  html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portrait · merchant view</title><style>${style}</style></head>
<body><header><h1>Portrait · merchant view</h1><div id="updated"></div></header>
<form id="login" hidden><h2>Admin token</h2><p class="note">The collector's admin token (PORTRAIT_ADMIN_TOKEN). It stays in this tab's memory and is sent only in the authorization header.</p>
<input id="token" type="password" autocomplete="off" aria-label="Admin token"><button>Open</button></form>
<main id="view" hidden>
<section id="audiences"><h2>Audiences</h2><p class="note">Devices by the department their long-term profile is closest to. Only audiences of at least <b id="k"></b> devices are shown (sizes rounded down to a multiple of 5); smaller ones are not shown or counted anywhere. Live profiles: <b id="profiles"></b>.</p>
<p id="audiences-empty" hidden>No audience has reached the threshold yet.</p><svg id="audiences-chart" role="img" aria-label="Audience sizes"></svg></section>
<section id="sync"><h2>Sync health</h2><div class="tiles"><div class="tile"><b id="syncs-min"></b><span>syncs in the last minute</span></div><div class="tile"><b id="sync-errors"></b><span>errors (30 min)</span></div><div class="tile"><b id="sync-rl"></b><span>rate-limited (30 min)</span></div><div class="tile"><b id="erasures"></b><span>erased ids pending the sweep</span></div></div>
<svg id="sync-chart" role="img" aria-label="Syncs per minute"></svg><p class="note legend">per minute:<span class="k-ok"></span>accepted<span class="k-err"></span>refused<span class="k-rl"></span>rate-limited</p></section>
<section id="milestones"><h2>Visitors with a profile</h2><p class="note">Share of visitors whose device had a profile by their 1st, 3rd and 5th page (each device reports each milestone once, without any id).</p><svg id="milestones-chart" role="img" aria-label="Share of visitors with a profile"></svg></section>
<section id="bytes"><h2>Bytes per visitor</h2><div class="tiles"><div class="tile"><b id="bytes-visitor"></b><span>received per visitor (since start)</span></div><div class="tile"><b id="bytes-sync"></b><span>per sync</span></div></div><p class="note">Everything a device sends: the compact profile, nothing of what was browsed.</p></section>
<section id="holdout"><h2>Recommendation click-through: profile on vs holdout</h2><p class="note">Each device picks its arm itself; only summed impressions and clicks reach the collector.</p><svg id="holdout-chart" role="img" aria-label="Click-through by arm"></svg><p id="lift"></p></section>
</main><script>${script}</script></body></html>`,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src ${sha(script)}; style-src ${sha(style)}; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  },
} as const;
