import type { DownloadPlan, ModelSource, RuntimeBuild } from '@portrait/model';
import type { ModelProgress } from './model-source.ts';

/** A model load's download progress, in bytes, against every file this device will fetch for it. */
export interface DownloadProgress {
  /** Bytes read so far (a cached file counts whole); never more than `total`. */
  loaded: number;
  /**
   * The model folder's files for the chosen dtype (sizes from its manifest.json) plus the runtime
   * .wasm the chosen backend loads (sizes from the build): fixed from the first event. A folder
   * without manifest.json has no sizes up front; its files then add to the total as they start.
   */
  total: number;
  /** Each file: planned ones from the first event (loaded 0 until they start). */
  files?: ModelProgress[];
}

/** A file the load will fetch and its size, known before its first byte. */
export interface PlannedFile {
  file: string;
  bytes: number;
}

/**
 * Sums per-file reports into one DownloadProgress. Nothing is emitted until plan() gives the
 * files and sizes (the folder's two small files are read before it), so the first event the
 * page sees already carries the whole total.
 */
export function createDownloadProgress(emit: (p: DownloadProgress) => void) {
  const planned = new Map<string, number>();
  const seen = new Map<string, ModelProgress>();
  let planKnown = false;

  function snapshot(): DownloadProgress {
    let loaded = 0;
    let total = 0;
    const files: ModelProgress[] = [];
    for (const [file, bytes] of planned) {
      const f = seen.get(file);
      // A file longer than its manifest entry fails verification; it never counts past its size.
      const l = Math.min(f?.loaded ?? 0, bytes);
      loaded += l;
      total += bytes;
      files.push({ file, loaded: l, total: bytes, fromCache: f?.fromCache ?? false });
    }
    for (const f of seen.values()) {
      if (planned.has(f.file)) continue;
      const t = Math.max(f.total, f.loaded);
      loaded += f.loaded;
      total += t;
      files.push({ ...f, total: t });
    }
    return { loaded, total, files };
  }

  return {
    /** The files the load will fetch; emits the first event. */
    plan(files: readonly PlannedFile[]): void {
      for (const f of files) planned.set(f.file, f.bytes);
      planKnown = true;
      emit(snapshot());
    },
    /** One file's bytes so far (a source's per-file report). */
    report(p: ModelProgress): void {
      seen.set(p.file, p);
      if (planKnown) emit(snapshot());
    },
    snapshot,
  };
}

export type DownloadProgressTracker = ReturnType<typeof createDownloadProgress>;

/**
 * Plans a load before its large files are requested: `read` (a source reporting to `progress`)
 * serves the folder's config.json and manifest.json to `plan`, the planned files plus the
 * runtime's .wasm become the total, and the source returned serves those two small files once
 * more from memory (verifyModel reads them again) and everything else through `read`.
 */
export async function planModelDownload(a: {
  read: ModelSource;
  plan: (source: ModelSource) => Promise<DownloadPlan>;
  /** The .wasm a runtime build fetches, with its size, when the build knows it. */
  wasm: (build: RuntimeBuild) => PlannedFile | undefined;
  progress: DownloadProgressTracker;
}): Promise<{ source: ModelSource; runtime: RuntimeBuild }> {
  const early = new Map<string, Uint8Array | undefined>();
  const plan = await a.plan(async (path) => {
    const bytes = await a.read(path);
    early.set(path, bytes);
    return bytes;
  });
  const planned: PlannedFile[] = (plan.files ?? []).map((f) => ({ file: f.path, bytes: f.bytes }));
  const wasm = a.wasm(plan.runtime);
  if (wasm) planned.push(wasm);
  a.progress.plan(planned);
  const source: ModelSource = (path) => {
    if (!early.has(path)) return a.read(path);
    const bytes = early.get(path);
    early.delete(path);
    return Promise.resolve(bytes);
  };
  return { source, runtime: plan.runtime };
}
