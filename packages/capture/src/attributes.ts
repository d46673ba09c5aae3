import { LOG_LEVELS, type LogLevel } from '@portrait/core';
import type { PortraitConfig } from './portrait.ts';

/** Config from the script tag: data-collector, data-consent="required", data-respect-gpc="false", … */
export function attributeConfig(el: HTMLScriptElement | null): PortraitConfig {
  if (!el) return {};
  const d = el.dataset;
  const c: PortraitConfig = { assetBase: d.assetBase || new URL('.', el.src || location.href).href };
  if (d.collector) c.collector = d.collector;
  if (d.logLevel && d.logLevel in LOG_LEVELS) c.logLevel = d.logLevel as LogLevel;
  if (d.consent === 'required') c.consent = 'required';
  if (d.dataLayer) c.dataLayer = d.dataLayer !== 'false' && d.dataLayer;
  // Switches that default to on: data-auto-capture="false", data-respect-gpc="false", …
  for (const k of ['autoCapture', 'respectGpc', 'respectDnt', 'spa'] as const) if (d[k] === 'false') c[k] = false;
  const idle = Number(d.idleSeconds);
  if (idle > 0) c.idleSeconds = idle;
  // data-dp-epsilon, -delta, -releases as numbers. One that does not parse is NaN, which the
  // worker refuses (capture stays off) rather than syncing without the noise the merchant asked for.
  for (const k of ['Epsilon', 'Delta', 'Releases']) {
    const v = d[`dp${k}`];
    if (v !== undefined) c.dp = { ...c.dp, [k.toLowerCase()]: Number(v) };
  }
  return c;
}
