// The shop's own script. Capture is the tag's job (loaded from the snippet); this only
// wires up shop behaviour that a real storefront would have.
document.documentElement.classList.add('js');
