import { readFileSync } from 'node:fs';
import type { LogLevel } from '@portrait/core';
import { RATE_LIMIT_KEYS } from './rate-limit.ts';

/** Everything the collector can be told, from the CLI, a JSON config file, or code. */
export interface CollectorOptions {
  /** SQLite file (or ':memory:'); ignored when `postgresUrl` is set. */
  dbPath?: string;
  /** PostgreSQL connection string: use the PostgreSQL adapter instead of SQLite. */
  postgresUrl?: string;
  /** Origins allowed to call the collector (the shop's pages); '*' allows any. */
  allowedOrigins: string[] | '*';
  /**
   * Keys of the ownership tokens, separated by commas, newest first: the first signs, all
   * verify. Default: one random key per process (tokens die on restart).
   */
  secret?: string;
  /** Days a token is valid after it was issued; every accepted upsert issues a new one. */
  tokenTtlDays?: number;
  /** Catalogue folder written by `portrait-collector import`; none = default basis only. */
  catalogueDir?: string;
  /** Requests per minute per client IP (0 = unlimited). */
  ipPerMinute?: number;
  /** Upserts and erasures per minute per pseudonymous id, charged only once its token verified (0 = unlimited). */
  idPerMinute?: number;
  /** Tokenless upserts (first syncs of new ids) per minute per client IP (0 = unlimited). */
  firstSyncPerMinute?: number;
  /** Most IPs, and most ids, the rate limiters remember at once (bounds their memory). */
  rateLimitKeys?: number;
  /** Largest `k` the recommendation endpoint returns. */
  maxK?: number;
  /** Candidates offered for on-device re-ranking. */
  candidates?: number;
  /** How far past the collector's clock a payload timestamp may be (seconds); later ones get 400. */
  clockSkewSeconds?: number;
  /** Bearer token for `/v1/stats` and `/v1/metrics`; without one they answer 401 (open only in `dev`). */
  adminToken?: string;
  /** Time a client has to send its request headers (ms). */
  headersTimeoutMs?: number;
  /** Time a client has to send its whole request, headers and body (ms). */
  requestTimeoutMs?: number;
  /** Most open connections; past it new ones are closed at once. */
  maxConnections?: number;
  /** Days a profile, a receipt or a tombstone is kept after its last write. */
  retentionDays?: number;
  /** How often the retention sweep runs (ms). */
  sweepIntervalMs?: number;
  /**
   * Fewest devices an audience must hold before the merchant view shows its size (k-anonymity);
   * smaller audiences are left out, their count too.
   */
  audienceMinDevices?: number;
  /** Most live profiles the merchant view reads to count audiences. */
  audienceMaxScan?: number;
  /** Development mode: random secret when none is given, and stats/metrics open without an admin token. */
  dev?: boolean;
  /** 'full' survives power loss at some cost; 'normal' (default) survives process crashes. */
  sqliteSync?: 'normal' | 'full';
  logLevel?: LogLevel;
}

export const OPTION_DEFAULTS = {
  ipPerMinute: 600,
  idPerMinute: 30,
  firstSyncPerMinute: 60,
  rateLimitKeys: RATE_LIMIT_KEYS,
  maxK: 50,
  candidates: 200,
  clockSkewSeconds: 600,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 10_000,
  retentionDays: 90,
  tokenTtlDays: 90,
  sweepIntervalMs: 3_600_000,
  audienceMinDevices: 50,
  audienceMaxScan: 100_000,
} as const satisfies Partial<CollectorOptions>;

/** The options with every limit left undefined (an absent CLI flag) set to its default. */
export function withDefaults(options: CollectorOptions) {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...OPTION_DEFAULTS, ...(given as CollectorOptions) };
}

/** Keys of a config file beyond the options: read by the CLI. */
export interface ConfigFileExtras {
  port?: number;
  host?: string;
  /** File holding the token secret (the key set). */
  secretFile?: string;
  /** File holding the admin token for stats and metrics. */
  adminTokenFile?: string;
}

/** Reads a JSON config file; unknown keys are refused so a typo cannot silently disable a limit. */
export function readConfigFile(path: string): Partial<CollectorOptions> & ConfigFileExtras {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  // Config files get copied, committed and pasted: the secrets live in files of their own.
  for (const k of ['secret', 'adminToken'])
    if (k in raw) throw new Error(`${path}: "${k}" is not read from a config file; use ${k}File or the environment`);
  const known = new Set([
    'dbPath',
    'postgresUrl',
    'allowedOrigins',
    'secretFile',
    'adminTokenFile',
    'dev',
    'catalogueDir',
    'ipPerMinute',
    'idPerMinute',
    'firstSyncPerMinute',
    'rateLimitKeys',
    'maxK',
    'candidates',
    'sqliteSync',
    'clockSkewSeconds',
    'headersTimeoutMs',
    'requestTimeoutMs',
    'maxConnections',
    'retentionDays',
    'tokenTtlDays',
    'sweepIntervalMs',
    'audienceMinDevices',
    'audienceMaxScan',
    'logLevel',
    'port',
    'host',
  ]);
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new Error(`${path}: unknown option "${k}"`);
  return raw as Partial<CollectorOptions> & ConfigFileExtras;
}
