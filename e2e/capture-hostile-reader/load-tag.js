// The merchant's snippet, with data- attributes from this page's query string (?dp-epsilon=1 …)
// and the demo shop's collector.
window.portrait =
  window.portrait ||
  function () {
    // biome-ignore lint/suspicious/noAssignInExpressions: the documented stub
    // biome-ignore lint/complexity/noArguments: the tag replays the arguments objects
    (portrait.q = portrait.q || []).push(arguments);
  };
const tag = document.createElement('script');
tag.async = true;
tag.src = '/portrait/portrait.js';
tag.dataset.collector = 'http://127.0.0.1:8787';
for (const [key, value] of new URLSearchParams(location.search)) tag.setAttribute(`data-${key}`, value);
document.head.append(tag);
