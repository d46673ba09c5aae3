import type { PageStatus } from '@portrait/capture';
import { arm } from '../client/holdout.ts';
import { productIndex } from '../client/product-index.ts';
import { portrait } from '../client/tag.ts';
import { viewedIds } from '../client/viewed.ts';
import type { ShopProduct } from '../products.ts';
import { esc } from '../render.ts';
import { interests } from './interests.ts';
import { closestViewed, loadSpace } from './space.ts';
import { type Share, shares, summary } from './words.ts';

// The drawer's first view, for shoppers: what the device thinks they like (now and over time) in
// department names, why each recommendation is there, what left the device, and the controls.
// The page sees only what the tag gives every page: status counts, the worker's ranking
// (`rerank`), the shop's own recently-viewed list; never the profile or the event log.

// How many of the device's top-ranked products "over time" is counted over.
const TOP = 20;
// The products that make "right now": the last few the shopper opened.
const RECENT = 5;

function bars(kind: 'long' | 'short', list: Share[]): string {
  if (!list.length) return '<p class="muted">Nothing learned yet.</p>';
  return `<ol class="bars" data-interests="${kind}">${list
    .slice(0, 5)
    .map(
      (i) =>
        `<li data-label="${esc(i.label)}" data-share="${i.share.toFixed(4)}"><span class="bar-label">${esc(i.label)}</span><span class="fill" style="--w:${(i.share * 100).toFixed(1)}%"></span><span class="bar-value">${Math.round(i.share * 100)}%</span></li>`,
    )
    .join('')}</ol>`;
}

/** "1 record", "20 records". */
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

const time = (at: number) => new Date(at).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' });

function sentSection(s: PageStatus | undefined): string {
  const sync = s?.lastSync;
  const stayed = s?.storedEvents ?? 0;
  const head = sync
    ? `<p><b class="sent-bytes" data-bytes="${sync.bytes}">${sync.bytes.toLocaleString('en')} bytes</b> went to the shop's server (last at ${esc(time(sync.at))}): a compact summary of your taste, a few dozen numbers. What you looked at did not: ${count(stayed, 'record')} stayed on this device.</p>`
    : `<p><b class="sent-bytes" data-bytes="0">Nothing</b> has left this device yet. ${count(stayed, 'record')} ${stayed === 1 ? 'is' : 'are'} kept here only.</p>`;
  const detail = sync
    ? `<dl class="facts"><dt>Last sync</dt><dd>${esc(new Date(sync.at).toLocaleString('en'))}, HTTP ${esc(String(sync.status))}</dd>
      <dt>Payload</dt><dd>${sync.bytes} bytes: a 38-byte header (format, model, basis version, a random id this device can rotate, time), then the profile as int8 numbers (long-term taste, this session, the top interest) in the shop's published compact space</dd>
      <dt>Not sent</dt><dd>products, searches, pages, times, the event log; the id is random and not linked to an account</dd></dl>`
    : '<p class="muted small">The first sync happens once the device has learned something.</p>';
  return `${head}<details data-keep="sent-detail"><summary>Technical detail</summary>${detail}</details>`;
}

async function whySection(
  products: Map<string, ShopProduct>,
  viewed: string[],
  rankedIds: { id: string }[],
): Promise<string> {
  if (arm() === 'off') {
    return `<p>This device is in the shop's <b>comparison group</b>: its recommendations are the shop's favourites and do not use your profile, so the shop can measure whether the profile helps.</p>
      <button type="button" data-do="join-arm">Use my profile for recommendations</button>`;
  }
  const ranked = rankedIds.filter((r) => !viewed.includes(r.id));
  if (!ranked.length || !viewed.length)
    return '<p class="muted">No recommendations yet: they start after a product or two.</p>';
  const space = await loadSpace(portrait.collector());
  const items = ranked
    .slice(0, 4)
    .flatMap((r) => products.get(r.id) ?? [])
    .map((p) => {
      const because = space ? closestViewed(space, p.id, viewed.slice(0, 12)) : undefined;
      const title = because ? products.get(because)?.title : undefined;
      const reason = title ? `you looked at ${title}` : `you like ${p.department}`;
      return `<li data-rec="${esc(p.id)}"><a href="/p/${esc(p.id)}.html">${esc(p.title)}</a> <span class="muted">because ${esc(reason)}</span></li>`;
    });
  return `<ul class="why">${items.join('')}</ul><p class="muted small">Ranked on this device from your profile; the shop sent only a list of candidates.</p>`;
}

function controls(products: Map<string, ShopProduct>, viewed: string[], paused: boolean, result: string): string {
  const items = viewed
    .slice(0, 5)
    .flatMap((id) => products.get(id) ?? [])
    .map(
      (p) =>
        `<li><span>${esc(p.title)}</span> <button type="button" class="small" data-do="forget-item" data-id="${esc(p.id)}" aria-label="Forget ${esc(p.title)}">Forget</button></li>`,
    );
  return `<div class="controls" role="group" aria-label="Your data">
    <button type="button" data-do="pause" ${paused ? 'disabled' : ''}>Pause</button>
    <button type="button" data-do="resume" ${paused ? '' : 'disabled'}>Resume</button>
    <button type="button" data-do="export">Download my data (JSON)</button>
  </div>
  ${items.length ? `<p class="small">Forget one item:</p><ul class="forget-items">${items.join('')}</ul>` : ''}
  <div class="controls forget-days-row">
    <label>Forget the last <select class="forget-days" aria-label="Days to forget"><option value="1">day</option><option value="7">7 days</option><option value="30">30 days</option></select></label>
    <button type="button" data-do="forget-days">Forget them</button>
    <button type="button" data-do="forget" class="danger">Forget everything</button>
  </div>
  <p class="result" role="status" aria-live="polite">${esc(result)}</p>
  <p class="muted small">${paused ? 'Paused: nothing new is recorded.' : 'Recording what you browse, on this device only.'}</p>`;
}

/** The shopper's sections of the drawer (HTML). */
export async function plainView(s: PageStatus | undefined, paused: boolean, result: string): Promise<string> {
  const [ranked, products] = await Promise.all([portrait.call<{ id: string }[]>('rerank', TOP), productIndex()]);
  const viewed = viewedIds();
  // The same long-term shares as the engineers' chart: what explain() names, so an interest built
  // over several views keeps a share when one purchase elsewhere pulls the profile.
  const longTerm = (await interests(products)).long;
  const now = shares(viewed.slice(0, RECENT).map((id) => products.get(id)?.department));
  const n = s?.profileEvents ?? 0;
  return `<section aria-labelledby="p-like"><h3 id="p-like">What this shop's device thinks you like</h3>
    <p class="summary" data-summary>${esc(summary(now, longTerm))}</p>
    <div class="two-charts"><div><h4>Right now</h4>${bars('short', now)}<p class="muted small">${viewed.length > 1 ? `Your last ${Math.min(RECENT, viewed.length)} product pages.` : 'Your last product page.'}</p></div>
    <div><h4>Over time</h4>${bars('long', longTerm)}<p class="muted small">Departments your profile leans to, learned from <span class="profile-count" data-count="${n}">${n}</span> ${n === 1 ? 'thing' : 'things'} you did here. A purchase counts ten times a product view, so one purchase moves it, but what you kept coming back to keeps its share.</p></div></div>
  </section>
  <section aria-labelledby="p-why"><h3 id="p-why">Why you see these recommendations</h3>${await whySection(products, viewed, ranked ?? [])}</section>
  <section aria-labelledby="p-sent"><h3 id="p-sent">What left this device</h3>${sentSection(s)}</section>
  <section aria-labelledby="p-controls"><h3 id="p-controls">Your controls</h3>${controls(products, viewed, paused, result)}</section>`;
}
