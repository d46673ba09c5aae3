import { esc } from '../render';
import type { TrailPoint } from './trail';

/** The PCA plane as SVG: department points, and the long-term (solid) and short-term (dashed) paths. */
export function mapSvg(departments: { label: string; xy: [number, number] }[], trail: TrailPoint[]): string {
  const all = [...departments.map((d) => d.xy), ...trail.flatMap((t) => [t.long, t.short])];
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const W = 320;
  const H = 220;
  const pad = 28;
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (y: number) => H - pad - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const path = (pts: [number, number][]) =>
    pts.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)} ${sy(p[1]).toFixed(1)}`).join(' ');
  const dots = departments
    .map(
      (d) =>
        `<g><circle cx="${sx(d.xy[0]).toFixed(1)}" cy="${sy(d.xy[1]).toFixed(1)}" r="3.5" class="dept"/><text x="${sx(d.xy[0]).toFixed(1)}" y="${(sy(d.xy[1]) - 6).toFixed(1)}" text-anchor="middle">${esc(d.label)}</text></g>`,
    )
    .join('');
  const last = trail.at(-1);
  const paths = trail.length
    ? `<path d="${path(trail.map((t) => t.long))}" class="long"/><path d="${path(trail.map((t) => t.short))}" class="short"/>` +
      (last
        ? `<circle cx="${sx(last.long[0]).toFixed(1)}" cy="${sy(last.long[1]).toFixed(1)}" r="5" class="now-long"/><circle cx="${sx(last.short[0]).toFixed(1)}" cy="${sy(last.short[1]).toFixed(1)}" r="5" class="now-short"/>`
        : '')
    : '';
  return `<svg class="map" viewBox="0 0 ${W} ${H}" role="img" aria-label="Your profile on the catalogue's first two principal components: ${trail.length} points on its path">${dots}${paths}</svg>`;
}
