import { atLeast, atMost, type Goal, noGoal } from './bench-row.ts';
import { numberAt, objectAt } from './json-path.ts';

/** A metric read from a section's JSON: value, and optionally the in-run baseline it is compared with. */
export interface MetricSpec {
  metric: string;
  unit: string;
  goal: Goal;
  value: (json: unknown) => number | undefined;
  baseline?: (json: unknown) => number | undefined;
}

/** A benchmark section: the package whose `bench` script produces it and the JSON files it writes. */
export interface Section {
  name: string;
  pkg: string;
  /** bench-results/<file> per metric source. */
  files: Record<string, MetricSpec[]>;
}

const sum = (xs: (number | undefined)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);

// Capture: the worst per-event p95 over the capture paths measured (auto-capture, dataLayer, track call).
function worstPerEventP95(json: unknown, side: 'withTag' | 'baseline'): number | undefined {
  const per = objectAt(json, `${side}.perEvent`);
  if (!per) return undefined;
  const p95s = Object.keys(per).map((k) => numberAt(per[k], 'p95'));
  return p95s.length > 0 && p95s.every((x) => x !== undefined) ? Math.max(...(p95s as number[])) : undefined;
}

// Long tasks during load, burst and model load, with the tag minus the same page without it, per phase.
function attributableLongTasks(json: unknown): number | undefined {
  const tag = objectAt(json, 'withTag.phases');
  const base = objectAt(json, 'baseline.phases');
  if (!tag) return undefined;
  return sum(
    Object.keys(tag).map((p) =>
      Math.max(0, (numberAt(tag[p], 'longTasks') ?? 0) - (base ? (numberAt(base[p], 'longTasks') ?? 0) : 0)),
    ),
  );
}

// The smallest anchor tag (another vendor's) in the same run: what "small" is measured against.
function smallestAnchorGzip(json: unknown): number | undefined {
  const sizes = (json as { sizes?: { name?: string; gzip?: number }[] }).sizes;
  const anchors = (sizes ?? [])
    .slice(1)
    .map((s) => s.gzip)
    .filter((g): g is number => typeof g === 'number');
  return anchors.length > 0 ? Math.min(...anchors) : undefined;
}

/** Every section of `pnpm bench`, and how its JSON maps to the contract's metric ids. */
export const SECTIONS: Section[] = [
  {
    name: 'model',
    pkg: '@portrait/model',
    files: {
      'model.json': [
        {
          metric: 'model.int8_bytes',
          unit: 'B',
          goal: atMost(9_000_000, '<= 9 MB'),
          value: (j) => numberAt(j, 'sizes.onnxInt8Bytes'),
          baseline: (j) => numberAt(j, 'sizes.onnxFp32Bytes'),
        },
        {
          metric: 'model.int8_vs_fp32_speedup',
          unit: 'x',
          goal: atLeast(1.5),
          value: (j) => numberAt(j, 'speedups.int8VsFp32Batch32'),
        },
        {
          metric: 'model.int8_vs_tfjs_speedup',
          unit: 'x',
          goal: atLeast(10),
          value: (j) => numberAt(j, 'speedups.int8VsTfjsBatch32'),
        },
      ],
    },
  },
  {
    name: 'engine',
    pkg: '@portrait/worker',
    files: {
      'engine.json': [
        { metric: 'engine.wasm.hit_p95_ms', unit: 'ms', goal: atMost(30), value: (j) => numberAt(j, 'wasm.hitP95') },
        { metric: 'engine.wasm.miss_p95_ms', unit: 'ms', goal: atMost(150), value: (j) => numberAt(j, 'wasm.missP95') },
        {
          metric: 'engine.wasm.events_per_s',
          unit: 'events/s',
          goal: noGoal('>= 3x naive'),
          value: (j) => numberAt(j, 'wasm.uniqueEventsPerSec', 'wasm.burstEventsPerSec'),
          baseline: (j) => numberAt(j, 'naive.uniqueEventsPerSec', 'naive.eventsPerSec'),
        },
        {
          metric: 'engine.wasm.vs_naive_ratio',
          unit: 'x',
          goal: atLeast(3),
          value: (j) => numberAt(j, 'vsNaive.unique', 'speedupVsNaive'),
        },
      ],
    },
  },
  {
    name: 'capture',
    pkg: '@portrait/capture',
    files: {
      'capture.json': [
        {
          metric: 'capture.tag_gzip_bytes',
          unit: 'B',
          goal: atMost(5120, '<= 5 KB'),
          value: (j) => numberAt(j, 'sizes.0.gzip'),
          baseline: smallestAnchorGzip,
        },
        {
          metric: 'capture.main_thread_per_event_p95_ms',
          unit: 'ms',
          goal: noGoal('near zero (baseline: same page without the tag)'),
          value: (j) => worstPerEventP95(j, 'withTag'),
          baseline: (j) => worstPerEventP95(j, 'baseline'),
        },
        {
          metric: 'capture.long_tasks',
          unit: 'count',
          goal: atMost(0, '0 attributable to the tag'),
          value: attributableLongTasks,
        },
      ],
    },
  },
  {
    name: 'sync',
    pkg: '@portrait/server',
    files: {
      'sync.json': [
        {
          metric: 'sync.payload_bytes',
          unit: 'B',
          goal: atMost(128),
          value: (j) => numberAt(j, 'payloadBytes', 'payload.bytes', 'payload_bytes'),
        },
        {
          metric: 'sync.raw_to_payload_ratio',
          unit: 'x',
          goal: atLeast(50),
          value: (j) => numberAt(j, 'rawToPayloadRatio', 'ratio', 'raw_to_payload_ratio'),
        },
      ],
    },
  },
  {
    name: 'server',
    pkg: '@portrait/server',
    files: {
      'server.json': [
        {
          metric: 'server.sqlite_upserts_per_s',
          unit: 'req/s',
          goal: atLeast(5000),
          value: (j) => numberAt(j, 'sqlite.upsertsPerSec', 'sqlite.upserts_per_s', 'sqliteUpsertsPerSec'),
        },
        {
          metric: 'server.errors',
          unit: 'count',
          goal: atMost(0),
          value: (j) => numberAt(j, 'errors', 'sqlite.errors'),
        },
      ],
    },
  },
  {
    name: 'first-visit',
    pkg: '@portrait/demo',
    files: {
      // Catalogue-first is the value; model-first (the engine before it) the in-run baseline.
      'first-visit.json': [
        {
          metric: 'first_visit.cold_bytes_to_profile',
          unit: 'B',
          goal: atMost(150_000, '<= 150 KB'),
          value: (j) => numberAt(j, 'paths.catalogue-first.cold.bytesToProfile.portrait'),
          baseline: (j) => numberAt(j, 'paths.model-first.cold.bytesToProfile.portrait'),
        },
        {
          metric: 'first_visit.cold_ms_to_profile_p95',
          unit: 'ms',
          goal: atMost(500),
          value: (j) => numberAt(j, 'paths.catalogue-first.cold.msToProfile.p95'),
          baseline: (j) => numberAt(j, 'paths.model-first.cold.msToProfile.p95'),
        },
        {
          metric: 'first_visit.speedup_vs_model_first',
          unit: 'x',
          goal: atLeast(10),
          value: (j) => numberAt(j, 'speedupVsModelFirst.coldP95'),
        },
        {
          metric: 'first_visit.next_page_ms_to_profile_p95',
          unit: 'ms',
          goal: atMost(100),
          value: (j) => numberAt(j, 'paths.catalogue-first.next.msToProfile.p95'),
          baseline: (j) => numberAt(j, 'paths.model-first.next.msToProfile.p95'),
        },
        {
          metric: 'first_visit.worker_cpu_ms_per_page_view',
          unit: 'ms',
          goal: noGoal('as measured'),
          value: (j) => numberAt(j, 'paths.catalogue-first.workerCpuMs.perPageView.p50'),
          baseline: (j) => numberAt(j, 'paths.model-first.workerCpuMs.perPageView.p50'),
        },
        {
          metric: 'first_visit.wasm_runtime_gzip_bytes',
          unit: 'B',
          goal: atMost(4_000_000, '<= 4 MB'),
          value: (j) => numberAt(j, 'wasmRuntime.gzip'),
        },
        {
          metric: 'first_visit.throttled_sessions_complete',
          unit: '%',
          goal: atLeast(100, '100 %'),
          value: (j) => numberAt(j, 'paths.catalogue-first.throttled.completePercent'),
          baseline: (j) => numberAt(j, 'paths.model-first.throttled.completePercent'),
        },
      ],
    },
  },
];
