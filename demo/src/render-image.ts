import type { Product } from '@portrait/fixtures/seed-products';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

/**
 * A generated product image: the hue comes from the category root (related items look
 * related), the shape and its position from the id, the word from the product type.
 */
export function productImage(p: Product): string {
  const root = p.category.split(' > ').slice(0, 2).join(' > ');
  const hue = hash(root) % 360;
  const h = hash(p.id);
  // The product type's last word ("shoes", "grinder"), short enough for the tile.
  const words = (p.title.split(',')[0] ?? '').split(' ').filter((w) => /^[a-z’']{3,}$/i.test(w));
  const word = words.at(-1) ?? '';
  const cx = 30 + (h % 60);
  const r = 16 + (h % 14);
  const shape =
    h % 3 === 0
      ? `<circle cx="${cx}" cy="34" r="${r}" fill="hsl(${hue} 55% 62%)"/>`
      : h % 3 === 1
        ? `<rect x="${cx - r}" y="${34 - r}" width="${2 * r}" height="${2 * r}" rx="6" fill="hsl(${hue} 55% 62%)"/>`
        : `<path d="M${cx} ${34 - r} L${cx + r} ${34 + r} L${cx - r} ${34 + r} Z" fill="hsl(${hue} 55% 62%)"/>`;
  return `<svg class="img" viewBox="0 0 120 80" role="img" aria-label="${esc(p.title)}"><rect width="120" height="80" fill="hsl(${hue} 60% 92%)"/>${shape}<text x="60" y="72" text-anchor="middle" font-size="9" font-family="system-ui,sans-serif" fill="hsl(${hue} 60% 22%)">${esc(word)}</text></svg>`;
}
