import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextEmbedder } from './text-embedder.ts';

const HASH_BYTES = 32;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

// Records of [sha256(text) (32 bytes), dim float32]; a torn last record (killed mid-write) is ignored.
function readCache(file: string, dim: number): Map<string, Float32Array> {
  const map = new Map<string, Float32Array>();
  if (!existsSync(file)) return map;
  const buf = readFileSync(file);
  const size = HASH_BYTES + dim * 4;
  for (let off = 0; off + size <= buf.length; off += size) {
    const key = buf.subarray(off, off + HASH_BYTES).toString('hex');
    const bytes = buf.subarray(off + HASH_BYTES, off + size);
    // Copy: the record's offset in the file buffer need not be 4-byte aligned.
    map.set(key, new Float32Array(Uint8Array.from(bytes).buffer));
  }
  return map;
}

/** Cache hits and misses of one `embedCached` call, for the report. */
export interface CacheStats {
  hits: number;
  computed: number;
  file: string;
}

/**
 * Embeddings of `texts`, computed once per (model id, text) and kept on disk in `dir`
 * (one append-only file per model id), so a second run of the evaluation embeds nothing.
 */
export async function embedCached(
  embedder: TextEmbedder,
  texts: readonly string[],
  dir: string,
): Promise<{ vectors: Float32Array[]; stats: CacheStats }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${embedder.id.replace(/[^A-Za-z0-9._@-]/g, '_')}.f32`);
  const cache = readCache(file, embedder.dim);
  const keys = texts.map((t) => sha256(t).toString('hex'));
  const missing = [...new Set(texts.filter((_, i) => !cache.has(keys[i] as string)))];
  const chunk = 256;
  for (let i = 0; i < missing.length; i += chunk) {
    const batch = missing.slice(i, i + chunk);
    const vectors = await embedder.embed(batch);
    const parts: Buffer[] = [];
    batch.forEach((text, j) => {
      const v = vectors[j] as Float32Array;
      cache.set(sha256(text).toString('hex'), v);
      parts.push(sha256(text), Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    });
    appendFileSync(file, Buffer.concat(parts));
  }
  const vectors = keys.map((k) => cache.get(k) as Float32Array);
  return { vectors, stats: { hits: new Set(texts).size - missing.length, computed: missing.length, file } };
}
