// A shop page at war with its own globals. Everything the page itself needs is taken before it
// replaces the builtins, so the page keeps working on its own terms; the tag gets no such help.
(() => {
  const arrayPush = Array.prototype.push;
  const record = (list, item) => arrayPush.call(list, item);

  // The page's own error accounting: the tag must add nothing to it.
  window.__onerror = 0;
  window.__errors = [];
  window.onerror = (message) => {
    window.__onerror++;
    record(window.__errors, String(message));
  };
  addEventListener('unhandledrejection', (e) => record(window.__errors, `rejection: ${e.reason}`));

  // GTM-style: the page's own dataLayer listener sees every entry, then throws (a broken tag in
  // the container). The page's code catches what its own listener throws.
  window.dataLayer = [];
  window.__listenerSaw = [];
  const original = window.dataLayer.push;
  window.dataLayer.push = function (...items) {
    original.apply(this, items);
    for (const item of items) record(window.__listenerSaw, item);
    throw new Error('page listener failed');
  };
  window.__pagePush = (entry) => {
    try {
      window.dataLayer.push(entry);
      return 'no throw';
    } catch (e) {
      return e.message;
    }
  };

  // The documented queue stub, and a call made before the tag arrives.
  window.portrait =
    window.portrait ||
    function () {
      // biome-ignore lint/suspicious/noAssignInExpressions: the snippet merchants paste, kept as documented
      // biome-ignore lint/complexity/noArguments: the tag replays the arguments objects
      (portrait.q = portrait.q || []).push(arguments);
    };
  portrait('track', 'search', { query: 'espresso beans' });

  // Now the builtins: throwing, wrong, polluted.
  let fetches = 0;
  window.fetch = () => {
    fetches++;
    if (fetches % 2) throw new TypeError('hostile fetch');
    return Promise.resolve('garbage');
  };
  JSON.stringify = () => {
    throw new Error('hostile stringify');
  };
  JSON.parse = () => {
    throw new Error('hostile parse');
  };
  Array.prototype.push = () => {
    throw new Error('hostile push');
  };
  Array.prototype.map = () => 'hostile map';
  Array.prototype.forEach = () => {
    throw new Error('hostile forEach');
  };
  Array.prototype.includes = () => true;
  // Enumerable, as old libraries did: every for-in over an array or object now sees them.
  Array.prototype.hostileExtra = function hostileExtra() {
    return 'extra';
  };
  Object.prototype.polluted = 'hostile';
})();
