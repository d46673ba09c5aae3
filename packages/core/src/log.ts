/** Log levels, quietest last. */
export const LOG_LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 50 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

type Sink = Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void>;

/**
 * A prefixed, levelled logger. It reads `globalThis.console` at call time (core has no DOM or
 * Node typings) and swallows its own failures: a host page may have replaced console.
 */
export function createLogger(prefix: string, level: LogLevel = 'warn'): Logger {
  const min = LOG_LEVELS[level];
  const at =
    (name: keyof Sink) =>
    (...args: unknown[]) => {
      if (LOG_LEVELS[name] < min) return;
      try {
        (globalThis as { console?: Sink }).console?.[name](`[${prefix}]`, ...args);
      } catch {
        // Logging must never become the error.
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
