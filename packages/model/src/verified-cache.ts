import type { Transformers } from './transformers-embedders.ts';
import type { VerifiedModel } from './verify-model.ts';

/**
 * Points transformers.js' custom cache at the bytes verifyModel already read, so
 * the pipeline loads exactly the checked bytes and nothing is fetched twice.
 * Misses fall through to transformers.js' own (local-only) loading.
 */
export function servedFromMemory(env: Transformers['env'], model: VerifiedModel): void {
  const prefix = `${model.modelId}/`;
  env.useCustomCache = true;
  env.customCache = {
    async match(key: string | Request): Promise<Response | undefined> {
      const url = typeof key === 'string' ? key : key.url;
      for (const [path, bytes] of model.files) {
        // transformers.js asks by local path first, then by its remote-style key
        // (`<model>/resolve/main/<file>`), so match the model folder and file name.
        if ((url.startsWith(prefix) || url.includes(`/${prefix}`)) && url.endsWith(`/${path}`)) {
          return new Response(bytes.slice().buffer, {
            status: 200,
            headers: { 'content-length': String(bytes.byteLength) },
          });
        }
      }
      return undefined;
    },
    async put(): Promise<void> {},
  };
}
