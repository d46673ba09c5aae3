import type { EvalReport } from '../run/run-eval.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLOURS = {
  'baseline-no-text': '#8c8c8c',
  'baseline-text': '#4c78a8',
  portrait: '#e45756',
  reference: '#b279a2',
} as const;

/**
 * A dependency-free SVG: per configuration, horizontal bars of HR@5/10/20 (shades of its kind's
 * colour) and, in a second panel, its adaptation lag in steps.
 */
export function svgChart(r: EvalReport): string {
  const rowH = 26;
  const left = 300;
  const barW = 360;
  const lagLeft = left + barW + 60;
  const lagW = 160;
  const top = 50;
  const height = top + r.configs.length * rowH + 40;
  const width = lagLeft + lagW + 60;
  const maxHr = Math.max(0.01, ...r.configs.map((c) => c.overall['HR@20']));
  const lags = r.configs.map((c) => c.adaptationLag).filter(Number.isFinite);
  const maxLag = Math.max(1, ...lags);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(`${r.dataset}: HitRate@5/10/20 (${r.targets} targets) and adaptation lag`)}</text>`,
    `<text x="${left}" y="${top - 10}">HR@5 / HR@10 / HR@20 (scale 0..${maxHr.toFixed(3)})</text>`,
    `<text x="${lagLeft}" y="${top - 10}">adaptation lag, steps</text>`,
  ];
  r.configs.forEach((c, i) => {
    const y = top + i * rowH;
    const colour = COLOURS[c.kind];
    out.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(c.name)}</text>`);
    (['HR@20', 'HR@10', 'HR@5'] as const).forEach((k, j) => {
      const w = (c.overall[k] / maxHr) * barW;
      out.push(
        `<rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${colour}" fill-opacity="${0.35 + 0.3 * j}"/>`,
      );
    });
    out.push(
      `<text x="${left + (c.overall['HR@20'] / maxHr) * barW + 4}" y="${y + 15}">${c.overall['HR@20'].toFixed(3)}</text>`,
    );
    if (Number.isFinite(c.adaptationLag)) {
      const w = (c.adaptationLag / maxLag) * lagW;
      out.push(`<rect x="${lagLeft}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowH - 10}" fill="${colour}"/>`);
      out.push(`<text x="${lagLeft + w + 4}" y="${y + 15}">${c.adaptationLag.toFixed(2)}</text>`);
    }
  });
  const ly = height - 15;
  Object.entries(COLOURS).forEach(([kind, colour], i) => {
    out.push(`<rect x="${10 + i * 160}" y="${ly - 10}" width="12" height="12" fill="${colour}"/>`);
    out.push(`<text x="${26 + i * 160}" y="${ly}">${kind}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
