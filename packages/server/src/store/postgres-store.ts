import pg from 'pg';
import type { AggregateTotals, ProfileStore } from './types.ts';

/**
 * PostgreSQL, for several stateless collectors behind one database. Each upsert is one
 * statement (receipt + profile in data-modifying CTEs), so it is atomic without a client-side
 * transaction, and acknowledged only after PostgreSQL commits it.
 */
export async function openPostgresStore(url: string, poolSize = 32): Promise<ProfileStore> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // One statement string is one transaction: the advisory lock, held until it commits, makes
  // collectors starting together on a new database create the tables one after the other
  // (concurrent CREATE TABLE IF NOT EXISTS of the same table fails on pg_type's unique index).
  await pool.query(`
    SELECT pg_advisory_xact_lock(hashtext('portrait:schema'));
    CREATE TABLE IF NOT EXISTS profiles (
      pseudo_id TEXT PRIMARY KEY,
      ts BIGINT NOT NULL,
      received_at BIGINT NOT NULL,
      payload BYTEA NOT NULL
    );
    CREATE TABLE IF NOT EXISTS receipts (
      pseudo_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      received_at BIGINT NOT NULL,
      PRIMARY KEY (pseudo_id, idempotency_key)
    );
    -- A tombstone is the id's row with erased set and the payload dropped: the upsert's
    -- ON CONFLICT re-reads the committed row, so a save racing an erasure cannot undo it.
    ALTER TABLE profiles ADD COLUMN IF NOT EXISTS erased BOOLEAN NOT NULL DEFAULT false;
    CREATE INDEX IF NOT EXISTS profiles_received_at ON profiles (received_at);
    CREATE INDEX IF NOT EXISTS receipts_received_at ON receipts (received_at);
    -- The merchant view's device-side sums (POST /v1/aggregate): a counter's name and its total, nothing else.
    CREATE TABLE IF NOT EXISTS aggregates (
      name TEXT PRIMARY KEY,
      total BIGINT NOT NULL
    );
  `);
  const SAVE = `
    WITH t AS (
      SELECT erased FROM profiles WHERE pseudo_id = $1
    ), x AS (
      SELECT 1 FROM t WHERE erased
    ), e AS (
      SELECT 1 FROM t WHERE $6::boolean AND NOT erased
    ), r AS (
      INSERT INTO receipts (pseudo_id, idempotency_key, received_at)
      SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM e) AND NOT EXISTS (SELECT 1 FROM x)
      ON CONFLICT DO NOTHING RETURNING 1
    ), u AS (
      INSERT INTO profiles (pseudo_id, ts, received_at, payload)
      SELECT $1, $4, $3, $5 WHERE EXISTS (SELECT 1 FROM r)
      ON CONFLICT (pseudo_id) DO UPDATE SET ts = excluded.ts, received_at = excluded.received_at,
        payload = excluded.payload
      WHERE excluded.ts >= profiles.ts AND NOT profiles.erased
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM x)::int AS erased, (SELECT count(*) FROM e)::int AS taken,
      (SELECT count(*) FROM r)::int AS fresh, (SELECT count(*) FROM u)::int AS written`;
  // One statement: the tombstone and the receipts' removal commit together.
  const ERASE = `
    WITH old AS (
      SELECT 1 FROM profiles WHERE pseudo_id = $1 AND NOT erased
    ), d AS (
      DELETE FROM receipts WHERE pseudo_id = $1
    ), t AS (
      INSERT INTO profiles (pseudo_id, ts, received_at, payload, erased) VALUES ($1, 0, $2, ''::bytea, true)
      ON CONFLICT (pseudo_id) DO UPDATE SET ts = 0, received_at = excluded.received_at, payload = ''::bytea,
        erased = true
    )
    SELECT (SELECT count(*) FROM old)::int AS live`;
  // One statement per report: each row's increment happens under its row lock, so concurrent
  // reports from any number of collectors all count. Rows are taken in name order, so two
  // reports naming the same counters lock them in the same order and cannot deadlock.
  const ADD_AGGREGATES = `
    INSERT INTO aggregates (name, total)
    SELECT name, total FROM unnest($1::text[], $2::bigint[]) AS r (name, total) ORDER BY name
    ON CONFLICT (name) DO UPDATE SET total = aggregates.total + excluded.total`;

  return {
    kind: 'postgres',
    async save(p, key, requireNew) {
      const { rows } = await pool.query<{ erased: number; taken: number; fresh: number; written: number }>({
        name: 'portrait-save',
        text: SAVE,
        values: [p.pseudoId, key, p.receivedAt, p.timestamp, Buffer.from(p.payload), requireNew],
      });
      const r = rows[0];
      if (r?.erased) return 'erased';
      if (r?.taken) return 'taken';
      return !r?.fresh ? 'duplicate' : r.written ? 'stored' : 'stale';
    },
    async get(id) {
      const { rows } = await pool.query<{ pseudo_id: string; ts: string; received_at: string; payload: Buffer }>(
        'SELECT * FROM profiles WHERE pseudo_id = $1 AND NOT erased',
        [id],
      );
      const row = rows[0];
      return (
        row && {
          pseudoId: row.pseudo_id,
          timestamp: Number(row.ts),
          receivedAt: Number(row.received_at),
          payload: new Uint8Array(row.payload),
        }
      );
    },
    async exists(id) {
      return (await pool.query('SELECT 1 FROM profiles WHERE pseudo_id = $1 AND NOT erased', [id])).rowCount === 1;
    },
    async erase(id) {
      const { rows } = await pool.query<{ live: number }>({
        name: 'portrait-erase',
        text: ERASE,
        values: [id, Date.now()],
      });
      return (rows[0]?.live ?? 0) > 0;
    },
    async sweep(cutoff) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const profiles = (await client.query('DELETE FROM profiles WHERE received_at < $1', [cutoff])).rowCount ?? 0;
        const receipts = (await client.query('DELETE FROM receipts WHERE received_at < $1', [cutoff])).rowCount ?? 0;
        await client.query('COMMIT');
        return { profiles, receipts };
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
      }
    },
    async livePayloads(limit) {
      const { rows } = await pool.query<{ payload: Buffer }>('SELECT payload FROM profiles WHERE NOT erased LIMIT $1', [
        limit,
      ]);
      return rows.map((r) => new Uint8Array(r.payload));
    },
    async tombstones() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM profiles WHERE erased');
      return rows[0]?.n ?? 0;
    },
    async addAggregates(report) {
      const entries = Object.entries(report)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      if (!entries.length) return;
      await pool.query({
        name: 'portrait-add-aggregates',
        text: ADD_AGGREGATES,
        values: [entries.map(([k]) => k), entries.map(([, n]) => n)],
      });
    },
    async aggregates() {
      // BIGINT arrives as a string; the sums stay far below 2^53.
      const { rows } = await pool.query<{ name: string; total: string }>('SELECT name, total FROM aggregates');
      return Object.fromEntries(rows.map((r) => [r.name, Number(r.total)])) as AggregateTotals;
    },
    async counts() {
      const { rows } = await pool.query<{ profiles: number; receipts: number }>(
        'SELECT (SELECT count(*) FROM profiles WHERE NOT erased)::int AS profiles, (SELECT count(*) FROM receipts)::int AS receipts',
      );
      return rows[0] ?? { profiles: 0, receipts: 0 };
    },
    close: () => pool.end(),
  };
}
