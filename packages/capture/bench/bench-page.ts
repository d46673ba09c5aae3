// The benchmark's shop page: 1,000 product cards, a dataLayer, and the observers that record
// long tasks and long animation frames from the very start (before the tag loads).
const STUB = 'window.portrait=window.portrait||function(){(portrait.q=portrait.q||[]).push(arguments)};';

const HEAD = `
window.__lt = []; window.__loaf = []; window.__phases = {};
new PerformanceObserver((l) => { for (const e of l.getEntries()) __lt.push({ start: e.startTime, dur: e.duration }); })
  .observe({ type: 'longtask', buffered: true });
try {
  new PerformanceObserver((l) => { for (const e of l.getEntries()) __loaf.push({ start: e.startTime, dur: e.duration,
    scripts: e.scripts.map((s) => ({ src: s.sourceURL, dur: s.duration, invoker: s.invoker, type: s.invokerType, fn: s.sourceFunctionName })) }); })
    .observe({ type: 'long-animation-frame', buffered: true });
} catch {}
window.dataLayer = [];
document.addEventListener('click', (e) => e.preventDefault());
// Per-event main-thread time: a mark before and after each synchronous dispatch.
window.__measure = (kind, fn, n) => {
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = performance.mark(kind + 'a' + i); fn(i); const b = performance.mark(kind + 'b' + i);
    out.push(performance.measure(kind + i, a.name, b.name).duration);
  }
  performance.clearMarks(); performance.clearMeasures();
  return out;
};
// A burst of shopper events, each in its own task, as real input arrives.
window.__burst = (n) => new Promise((done) => {
  const links = document.querySelectorAll('a'); let i = 0;
  const ch = new MessageChannel();
  ch.port1.onmessage = () => { links[(i * 7) % links.length].click(); if (++i < n) ch.port2.postMessage(0); else done(); };
  ch.port2.postMessage(0);
});`;

export function benchPage(withTag: boolean): string {
  const cards = Array.from(
    { length: 1000 },
    (_, i) =>
      `<li data-portrait-product="SKU-${i}" data-portrait-title="Product ${i}" data-portrait-price="${i}"><a href="#p${i}">Product ${i}</a></li>`,
  ).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title><link rel="icon" href="data:,">
<script>${HEAD}</script>
${withTag ? `<script>${STUB}</script><script async src="/portrait/portrait.js" data-init></script>` : ''}
</head><body><ul>${cards}</ul></body></html>`;
}
