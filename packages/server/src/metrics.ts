/** Request counters and latency sums in the Prometheus text format (no labels from user data). */
export function createMetrics() {
  const counts = new Map<string, number>();
  const latency = new Map<string, { sum: number; n: number }>();
  return {
    observe(route: string, status: number, ms: number) {
      const key = `route="${route}",status="${status}"`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const l = latency.get(route) ?? { sum: 0, n: 0 };
      l.sum += ms / 1000;
      l.n++;
      latency.set(route, l);
    },
    render(gauges: Record<string, number>): string {
      const lines = ['# TYPE portrait_requests_total counter'];
      for (const [k, v] of counts) lines.push(`portrait_requests_total{${k}} ${v}`);
      lines.push('# TYPE portrait_request_seconds summary');
      for (const [r, l] of latency) {
        lines.push(`portrait_request_seconds_sum{route="${r}"} ${l.sum}`);
        lines.push(`portrait_request_seconds_count{route="${r}"} ${l.n}`);
      }
      for (const [k, v] of Object.entries(gauges)) lines.push(`# TYPE ${k} gauge`, `${k} ${v}`);
      return `${lines.join('\n')}\n`;
    },
  };
}
