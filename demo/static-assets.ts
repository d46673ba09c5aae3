import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};
/** Worth compressing: text and the runtime/model binaries (wasm and int8 onnx shrink 3-4x and 1.1x). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.onnx', '.map', '.svg']);
/** The hash segment Vite's `[name]-[hash]` patterns give an output name: 8 url-safe chars. */
const HASH_SEGMENT = /-[\w-]{8}\.[a-z0-9]+$/i;

type Encoding = 'br' | 'gzip' | 'identity';
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** The encoding to send for an Accept-Encoding header: brotli, then gzip, else none. */
export function negotiate(accept: string | undefined): Encoding {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (e: string) => (offered.get(e) ?? offered.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

/** One output of a Vite build, as `.vite/manifest.json` lists it. */
interface ManifestChunk {
  file?: unknown;
  css?: unknown;
  assets?: unknown;
}

/**
 * The served paths a Vite build content-hashed: every output its `.vite/manifest.json` lists
 * (chunks, css, assets) whose name carries the hash segment. A name that only looks hashed
 * (`ort-wasm-simd-threaded.wasm`: `-threaded`; a product page `/p/coffee-12345678.html`) is in no
 * manifest, and a fixed-name entry (`portrait-worker.js`) has no hash: both revalidate.
 */
export function hashedOutputs(manifest: unknown, prefix: string): string[] {
  if (typeof manifest !== 'object' || manifest === null) return [];
  const names = new Set<string>();
  for (const chunk of Object.values(manifest as Record<string, ManifestChunk>)) {
    const listed = [
      chunk?.file,
      ...(Array.isArray(chunk?.css) ? chunk.css : []),
      ...(Array.isArray(chunk?.assets) ? chunk.assets : []),
    ];
    for (const f of listed) if (typeof f === 'string' && HASH_SEGMENT.test(f)) names.add(`${prefix}${f}`);
  }
  return [...names];
}

/** The hashed outputs of the Vite builds under `root`: each folder's `.vite/manifest.json`, missing ones skipped. */
export async function viteHashedPaths(root: string, folders: readonly string[]): Promise<Set<string>> {
  const paths = new Set<string>();
  for (const folder of folders) {
    const raw = await readFile(join(root, folder, '.vite', 'manifest.json'), 'utf8').catch(() => undefined);
    for (const p of raw ? hashedOutputs(JSON.parse(raw), `/${folder ? `${folder}/` : ''}`) : []) paths.add(p);
  }
  return paths;
}

/** `Cache-Control` for a served path: a year and immutable for a build's hashed outputs, else revalidate. */
export function cacheControl(path: string, hashed: ReadonlySet<string>): string {
  return hashed.has(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

interface Entry {
  readonly etag: string;
  readonly identity: Buffer;
  readonly encoded: Map<Encoding, Promise<Buffer>>;
}

/**
 * Serves a built folder like a production host: Accept-Encoding negotiated (brotli or gzip),
 * each file compressed once and kept in memory (concurrent requests share the one compression),
 * long-lived immutable caching for the `hashed` paths (see viteHashedPaths), `no-cache` + ETag
 * (304) for the rest; dot-folders (the builds' `.vite/` manifests) are not served.
 */
export function staticAssets(root: string, hashed: ReadonlySet<string>): Plugin {
  const files = new Map<string, Promise<Entry | undefined>>();
  const load = (file: string) => {
    let entry = files.get(file);
    if (!entry) {
      entry = stat(file).then(
        async (s) => {
          if (!s.isFile()) return undefined;
          const identity = await readFile(file);
          const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
          return { etag, identity, encoded: new Map() };
        },
        () => undefined,
      );
      files.set(file, entry);
    }
    return entry;
  };
  const encode = (e: Entry, encoding: Encoding): Promise<Buffer> => {
    if (encoding === 'identity') return Promise.resolve(e.identity);
    let bytes = e.encoded.get(encoding);
    if (!bytes) {
      // Quality 5 brotli: within a few % of 11 on wasm, and seconds rather than minutes for 27 MB.
      bytes =
        encoding === 'br'
          ? brotli(e.identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
          : gz(e.identity, { level: 9 });
      e.encoded.set(encoding, bytes);
    }
    return bytes;
  };
  const serve = async (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (path.endsWith('/')) path += 'index.html';
    // A build's `.vite/` manifest (and any dotfile) is not the shop's to publish; answered here,
    // since Vite's own static handler after this one would serve it.
    if (path.split('/').some((segment) => segment.startsWith('.'))) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return next();
    const entry = (await load(file)) ?? (extname(file) === '' ? await load(`${file}.html`) : undefined);
    if (!entry) return next();
    const ext = extname(file) || '.html';
    res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('cache-control', cacheControl(path, hashed));
    res.setHeader('etag', entry.etag);
    res.setHeader('vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === entry.etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const encoding = COMPRESSIBLE.has(ext) ? negotiate(req.headers['accept-encoding']) : 'identity';
    const body = await encode(entry, encoding);
    if (encoding !== 'identity') res.setHeader('content-encoding', encoding);
    res.setHeader('content-length', body.byteLength);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  return {
    name: 'portrait-static-assets',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        serve(req, res, next).catch((e: unknown) => {
          res.statusCode = 500;
          res.end(String(e));
        });
      });
    },
  };
}
