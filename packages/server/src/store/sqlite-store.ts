import Database from 'better-sqlite3';
import type { AggregateTotals, ProfileStore, SaveOutcome, StoredProfile } from './types.ts';

interface Row {
  pseudo_id: string;
  ts: number;
  received_at: number;
  payload: Buffer;
}

// Two collectors may open one new file at once (a second process, a restart over a running one):
// switching the file to WAL takes a lock the busy handler does not wait for, so the one that loses
// the race gets SQLITE_BUSY. WAL is a property of the file, so it retries until the other has
// switched it, and a file already in WAL is never switched again.
function useWal(db: Database.Database) {
  for (let attempt = 0; ; attempt++) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 100) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/**
 * The embedded default: one SQLite file in WAL mode. `synchronous = NORMAL` keeps every
 * committed upsert across a process crash (kill -9); only an OS crash or power loss can lose
 * the last few, which `--sqlite-sync full` trades throughput to prevent.
 */
export function openSqliteStore(path: string, synchronous: 'normal' | 'full' = 'normal'): ProfileStore {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  useWal(db);
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS profiles (
      pseudo_id TEXT PRIMARY KEY,
      ts INTEGER NOT NULL,
      received_at INTEGER NOT NULL,
      payload BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS receipts (
      pseudo_id TEXT NOT NULL,
      idempotency_key TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (pseudo_id, idempotency_key)
    );
    -- The merchant view's device-side sums (POST /v1/aggregate): a counter's name and its total, nothing else.
    CREATE TABLE IF NOT EXISTS aggregates (
      name TEXT PRIMARY KEY,
      total INTEGER NOT NULL
    );
  `);
  // A tombstone is the id's row with `erased` set and the payload dropped: keeping it in the
  // same row means no write can slip between the erasure and its tombstone.
  const columns = db.prepare("SELECT name FROM pragma_table_info('profiles')").pluck().all();
  if (!columns.includes('erased')) db.exec('ALTER TABLE profiles ADD COLUMN erased INTEGER NOT NULL DEFAULT 0');
  // The retention sweep deletes by age.
  db.exec(`
    CREATE INDEX IF NOT EXISTS profiles_received_at ON profiles (received_at);
    CREATE INDEX IF NOT EXISTS receipts_received_at ON receipts (received_at);
  `);
  const insertReceipt = db.prepare(
    'INSERT OR IGNORE INTO receipts (pseudo_id, idempotency_key, received_at) VALUES (?, ?, ?)',
  );
  // A late-arriving older payload never overwrites a newer one.
  const upsert = db.prepare(`
    INSERT INTO profiles (pseudo_id, ts, received_at, payload) VALUES (?, ?, ?, ?)
    ON CONFLICT (pseudo_id) DO UPDATE SET ts = excluded.ts, received_at = excluded.received_at,
      payload = excluded.payload
    WHERE excluded.ts >= profiles.ts AND profiles.erased = 0
  `);
  const select = db.prepare('SELECT * FROM profiles WHERE pseudo_id = ? AND erased = 0');
  const exists = db.prepare('SELECT 1 FROM profiles WHERE pseudo_id = ? AND erased = 0').pluck();
  const erasedFlag = db.prepare('SELECT erased FROM profiles WHERE pseudo_id = ?').pluck();
  const tombstone = db.prepare(`
    INSERT INTO profiles (pseudo_id, ts, received_at, payload, erased) VALUES (?, 0, ?, x'', 1)
    ON CONFLICT (pseudo_id) DO UPDATE SET ts = 0, received_at = excluded.received_at, payload = x'', erased = 1
  `);
  const delReceipts = db.prepare('DELETE FROM receipts WHERE pseudo_id = ?');
  const sweepProfiles = db.prepare('DELETE FROM profiles WHERE received_at < ?');
  const sweepReceipts = db.prepare('DELETE FROM receipts WHERE received_at < ?');
  const livePayloads = db.prepare('SELECT payload FROM profiles WHERE erased = 0 LIMIT ?').pluck();
  const tombstones = db.prepare('SELECT COUNT(*) FROM profiles WHERE erased = 1').pluck();
  const counts = db.prepare(
    'SELECT (SELECT COUNT(*) FROM profiles WHERE erased = 0) AS profiles, (SELECT COUNT(*) FROM receipts) AS receipts',
  );
  const addAggregate = db.prepare(`
    INSERT INTO aggregates (name, total) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET total = aggregates.total + excluded.total
  `);
  const aggregates = db.prepare('SELECT name, total FROM aggregates');
  const saveOne = (p: StoredProfile, key: string, requireNew: boolean): SaveOutcome => {
    const erased = erasedFlag.get(p.pseudoId) as number | undefined;
    if (erased === 1) return 'erased';
    if (requireNew && erased !== undefined) return 'taken';
    if (insertReceipt.run(p.pseudoId, key, p.receivedAt).changes === 0) return 'duplicate';
    const r = upsert.run(p.pseudoId, p.timestamp, p.receivedAt, Buffer.from(p.payload));
    return r.changes === 0 ? 'stale' : 'stored';
  };
  // Group commit: the upserts that arrive within one turn of the event loop share a
  // transaction, and each is acknowledged only after that transaction has committed.
  type Pending = {
    p: StoredProfile;
    key: string;
    requireNew: boolean;
    done: (o: SaveOutcome) => void;
    fail: (e: unknown) => void;
  };
  let queue: Pending[] = [];
  const commit = db.transaction((items: Pending[]) => items.map((i) => saveOne(i.p, i.key, i.requireNew)));
  const flush = () => {
    const items = queue;
    queue = [];
    try {
      const outcomes = commit(items);
      for (const [k, item] of items.entries()) item.done(outcomes[k] as SaveOutcome);
    } catch (err) {
      for (const item of items) item.fail(err);
    }
  };
  const erase = db.transaction((id: string, now: number) => {
    const live = exists.get(id) !== undefined;
    tombstone.run(id, now);
    delReceipts.run(id);
    return live;
  });
  const addReport = db.transaction((entries: [string, number][]) => {
    for (const [name, n] of entries) addAggregate.run(name, n);
  });
  const sweep = db.transaction((cutoff: number) => ({
    profiles: sweepProfiles.run(cutoff).changes,
    receipts: sweepReceipts.run(cutoff).changes,
  }));

  return {
    kind: 'sqlite',
    save: (p, key, requireNew) =>
      new Promise<SaveOutcome>((done, fail) => {
        queue.push({ p, key, requireNew, done, fail });
        if (queue.length === 1) setImmediate(flush);
      }),
    async get(id) {
      const row = select.get(id) as Row | undefined;
      return row && { pseudoId: row.pseudo_id, timestamp: row.ts, receivedAt: row.received_at, payload: row.payload };
    },
    exists: async (id) => exists.get(id) !== undefined,
    erase: async (id) => erase(id, Date.now()),
    sweep: async (cutoff) => sweep(cutoff),
    counts: async () => counts.get() as { profiles: number; receipts: number },
    livePayloads: async (limit) => livePayloads.all(limit) as Uint8Array[],
    tombstones: async () => tombstones.get() as number,
    async addAggregates(report) {
      const entries = Object.entries(report).filter(([, n]) => n > 0);
      // IMMEDIATE takes the write lock up front: another collector process on the same file
      // waits for it (busy_timeout) instead of failing half-way through a report.
      if (entries.length) addReport.immediate(entries);
    },
    aggregates: async () =>
      Object.fromEntries(
        (aggregates.all() as { name: string; total: number }[]).map((r) => [r.name, r.total]),
      ) as AggregateTotals,
    async close() {
      if (queue.length) flush();
      db.close();
    },
  };
}
