// The profile page's words: department shares and the sentence that names them. Pure, so the
// wording is unit-tested without a browser.

export interface Share {
  label: string;
  share: number;
}

/** Shares of each department among `departments` (undefined ones skipped), largest first. */
export const shares = (departments: (string | undefined)[]): Share[] => {
  const counts = new Map<string, number>();
  for (const d of departments) if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return [...counts].map(([label, n]) => ({ label, share: n / total })).sort((a, b) => b.share - a.share);
};

/** "Running", "Running and Kitchen", "Running, Kitchen and Coffee". */
export const listWords = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** The one-paragraph summary: departments, in words. */
export function summary(now: Share[], longTerm: Share[]): string {
  if (!now.length && !longTerm.length)
    return 'Nothing yet: browse a few products and this page shows what the shop\u2019s device makes of it.';
  // Departments with at least a fifth of the weight are "what you like"; at most three.
  const strong = (l: Share[]) =>
    l
      .filter((s, i) => i === 0 || s.share >= 0.2)
      .slice(0, 3)
      .map((s) => s.label);
  const parts: string[] = [];
  if (now.length) parts.push(`Right now you are looking at ${listWords(strong(now))}.`);
  if (longTerm.length) parts.push(`Over time you like ${listWords(strong(longTerm))} most.`);
  return parts.join(' ');
}
