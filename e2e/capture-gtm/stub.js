// The documented queue stub (inline in a real install; a file here so the page's CSP needs no hash).
window.portrait =
  window.portrait ||
  function () {
    // biome-ignore lint/suspicious/noAssignInExpressions: the snippet merchants paste, kept as documented
    // biome-ignore lint/complexity/noArguments: the tag replays the arguments objects
    (portrait.q = portrait.q || []).push(arguments);
  };
