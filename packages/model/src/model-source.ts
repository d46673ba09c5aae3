/**
 * Reads one file of a models root by relative path (`use-lite/config.json`);
 * resolves undefined when the file does not exist.
 */
export type ModelSource = (path: string) => Promise<Uint8Array | undefined>;

/** Reads over HTTP(S) (or any fetch-able URL) below `baseUrl`. */
export function httpSource(baseUrl: string, fetchImpl: typeof fetch = fetch): ModelSource {
  const root = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return async (path) => {
    const response = await fetchImpl(`${root}${path}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${root}${path}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}
