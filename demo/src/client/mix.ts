/**
 * Mixes interests into a list of `k`: each department gets places in proportion to its share of
 * `interests` (one department per thing the shopper chose; by default the first `over` items of
 * the ranking), by largest remainder, filled by its best-ranked items, and the result keeps rank
 * order. A long-term ranking then shows running and kitchen both after a shopper browsed both,
 * rather than eight of whichever the latest views pulled to the top. A department short of items
 * leaves its places to the rest of the ranking, in order.
 */
export function mixDepartments(
  ranked: readonly string[],
  departmentOf: (id: string) => string | undefined,
  k: number,
  interests: readonly (string | undefined)[] = ranked.slice(0, Math.max(k, 40)).map(departmentOf),
): string[] {
  if (ranked.length <= k) return [...ranked];
  const dept = (id: string) => departmentOf(id) ?? '';
  const counts = new Map<string, number>();
  for (const d of interests) counts.set(d ?? '', (counts.get(d ?? '') ?? 0) + 1);
  const exact = [...counts].map(([d, n]) => ({ d, q: (n / interests.length) * k }));
  const quota = new Map(exact.map((e) => [e.d, Math.floor(e.q)]));
  let left = k - [...quota.values()].reduce((a, b) => a + b, 0);
  // Map order is first appearance, so a tie in remainder goes to the better-ranked department.
  for (const e of [...exact].sort((a, b) => b.q - Math.floor(b.q) - (a.q - Math.floor(a.q)))) {
    if (left <= 0) break;
    quota.set(e.d, (quota.get(e.d) ?? 0) + 1);
    left--;
  }
  const picked = new Set<string>();
  for (const id of ranked) {
    if (picked.size >= k) break;
    const d = dept(id);
    const q = quota.get(d) ?? 0;
    if (q > 0) {
      picked.add(id);
      quota.set(d, q - 1);
    }
  }
  // A department with fewer items than its places: the rest in rank order.
  for (const id of ranked) if (picked.size < k) picked.add(id);
  return ranked.filter((id) => picked.has(id));
}
