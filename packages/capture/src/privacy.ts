/** Shopper-side privacy signals the tag honours unless the merchant turns them off. */
export interface PrivacyOptions {
  /** Honour `navigator.globalPrivacyControl` (default true). */
  respectGpc?: boolean;
  /** Honour Do-Not-Track (default true). */
  respectDnt?: boolean;
}

type Nav = { globalPrivacyControl?: unknown; doNotTrack?: unknown };

/** Why capture is off for this shopper, or undefined when the signals allow it. */
export function privacyBlock(o: PrivacyOptions, nav: Nav = navigator, win: Nav = window as Nav): string | undefined {
  if (o.respectGpc !== false && nav.globalPrivacyControl === true) return 'GPC';
  const dnt = nav.doNotTrack ?? win.doNotTrack;
  if (o.respectDnt !== false && (dnt === '1' || dnt === 'yes')) return 'DNT';
  return undefined;
}
