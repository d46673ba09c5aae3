// The page's own error accounting, as a merchant would see it: window.onerror, unhandled
// rejections and CSP violations. The tag must never add to any of them.
window.__onerror = 0;
window.__errors = [];
window.onerror = (message) => {
  window.__onerror++;
  window.__errors.push(String(message));
};
addEventListener('unhandledrejection', (e) => window.__errors.push(`rejection: ${e.reason}`));
addEventListener('securitypolicyviolation', (e) => window.__errors.push(`csp: ${e.violatedDirective} ${e.blockedURI}`));
