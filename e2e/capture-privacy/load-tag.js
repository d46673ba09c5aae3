// Installs the tag the way the snippet does, with data- attributes taken from this page's query
// string (?consent=required&respect-gpc=false …), so one page covers every privacy setting.
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
tag.dataset.init = '';
for (const [key, value] of new URLSearchParams(location.search)) tag.setAttribute(`data-${key}`, value);
document.head.append(tag);
