/**
 * An error as data: it crosses the worker boundary (structured clone) and the network
 * as a plain object with a string code, never as a class instance.
 */
export interface PortraitErrorData {
  code: string;
  message: string;
}

export function toErrorData(code: string, err: unknown): PortraitErrorData {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') {
    return { code: err.code, message: String((err as { message?: unknown }).message ?? err.code) };
  }
  return { code, message: err instanceof Error ? err.message : String(err) };
}
