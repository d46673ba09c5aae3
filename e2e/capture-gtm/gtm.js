// A stand-in for Google Tag Manager's container: it processes what was queued before it loaded,
// then replaces dataLayer.push with its own function (whose return value is GTM's, not a length).
(() => {
  window.dataLayer = window.dataLayer || [];
  window.__gtmSeen = [];
  const dl = window.dataLayer;
  const seen = window.__gtmSeen;
  const original = dl.push;
  for (const item of dl) seen.push(item);
  dl.push = function (...items) {
    original.apply(this, items);
    for (const item of items) seen.push(item);
    return 'gtm-processed';
  };
})();
