import { DEPARTMENT_LABELS, slug } from '../products.ts';
import { searchForm } from '../render.ts';

/** Header shared by every page: logo, search, cart, the profile drawer's button, departments. */
export function header(): string {
  const nav = DEPARTMENT_LABELS.map((l) => `<li><a href="/c/${slug(l)}.html">${l}</a></li>`).join('');
  return `<a class="skip" href="#main">Skip to content</a>
    <header class="bar">
      <div class="bar-row">
        <a href="/" class="logo">Portrait Outfitters</a>
        ${searchForm()}
        <a class="cart-link" href="/cart.html">Cart <span class="cart-count" aria-label="items in cart">0</span></a>
        <button type="button" class="profile-open" aria-haspopup="dialog" aria-controls="profile">Your profile</button>
      </div>
      <nav aria-label="Departments"><ul class="departments">${nav}</ul></nav>
    </header>`;
}

/** The drawer's shell; `profile/drawer.ts` fills it when opened. */
export function drawerShell(): string {
  return `<dialog id="profile" class="drawer" aria-labelledby="profile-title">
      <div class="drawer-head">
        <h2 id="profile-title">Your profile</h2>
        <button type="button" class="drawer-close" aria-label="Close your profile">✕</button>
      </div>
      <p class="drawer-note">Everything here is computed and stored in this browser. Only the compact payload below is sent to the shop.</p>
      <div class="drawer-body" aria-live="polite"></div>
    </dialog>`;
}

export function footer(): string {
  return `<footer class="foot"><p>Portrait Outfitters is a demo shop: no real products, no payment. Your profile stays on this device — open <b>Your profile</b> to see it.</p></footer>`;
}
