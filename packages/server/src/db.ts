import Database from 'better-sqlite3';

export interface StoredProfile {
  pseudoId: string;
  modelHash: number;
  basisVersion: number;
  flags: number;
  vectors: Float32Array[];
  timestamp: number;
  receivedAt: number;
}

/** The collector's embedded store: latest compact vector per pseudonymous id, plus seen idempotency keys. */
export function openDatabase(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS profiles (
      pseudo_id TEXT PRIMARY KEY,
      model_hash INTEGER NOT NULL,
      basis_version INTEGER NOT NULL,
      flags INTEGER NOT NULL,
      dim INTEGER NOT NULL,
      vectors BLOB NOT NULL,
      ts INTEGER NOT NULL,
      received_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS receipts (
      idempotency_key TEXT NOT NULL,
      pseudo_id TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (pseudo_id, idempotency_key)
    );
  `);
  const insertReceipt = db.prepare(
    'INSERT OR IGNORE INTO receipts (idempotency_key, pseudo_id, received_at) VALUES (?, ?, ?)',
  );
  // A late-arriving older payload never overwrites a newer one.
  const upsert = db.prepare(`
    INSERT INTO profiles (pseudo_id, model_hash, basis_version, flags, dim, vectors, ts, received_at)
    VALUES (@pseudoId, @modelHash, @basisVersion, @flags, @dim, @vectors, @timestamp, @receivedAt)
    ON CONFLICT (pseudo_id) DO UPDATE SET
      model_hash = excluded.model_hash, basis_version = excluded.basis_version, flags = excluded.flags,
      dim = excluded.dim, vectors = excluded.vectors, ts = excluded.ts, received_at = excluded.received_at
    WHERE excluded.ts >= profiles.ts
  `);
  const select = db.prepare('SELECT * FROM profiles WHERE pseudo_id = ?');
  const erase = db.transaction((pseudoId: string) => {
    db.prepare('DELETE FROM profiles WHERE pseudo_id = ?').run(pseudoId);
    db.prepare('DELETE FROM receipts WHERE pseudo_id = ?').run(pseudoId);
  });
  const counts = db.prepare(
    'SELECT (SELECT COUNT(*) FROM profiles) AS profiles, (SELECT COUNT(*) FROM receipts) AS receipts',
  );

  return {
    /** Stores the payload unless its idempotency key was seen; returns false for a duplicate. */
    save: db.transaction((p: StoredProfile, idempotencyKey: string): boolean => {
      if (insertReceipt.run(idempotencyKey, p.pseudoId, p.receivedAt).changes === 0) return false;
      const flat = new Float32Array(p.vectors.length * (p.vectors[0]?.length ?? 0));
      for (const [i, v] of p.vectors.entries()) flat.set(v, i * v.length);
      upsert.run({ ...p, dim: p.vectors[0]?.length ?? 0, vectors: Buffer.from(flat.buffer) });
      return true;
    }),

    get(pseudoId: string): StoredProfile | undefined {
      const row = select.get(pseudoId) as
        | {
            pseudo_id: string;
            model_hash: number;
            basis_version: number;
            flags: number;
            dim: number;
            vectors: Buffer;
            ts: number;
            received_at: number;
          }
        | undefined;
      if (!row) return undefined;
      const flat = new Float32Array(
        row.vectors.buffer.slice(row.vectors.byteOffset, row.vectors.byteOffset + row.vectors.byteLength),
      );
      const vectors: Float32Array[] = [];
      for (let o = 0; o < flat.length; o += row.dim) vectors.push(flat.slice(o, o + row.dim));
      return {
        pseudoId: row.pseudo_id,
        modelHash: row.model_hash,
        basisVersion: row.basis_version,
        flags: row.flags,
        vectors,
        timestamp: row.ts,
        receivedAt: row.received_at,
      };
    },

    erase(pseudoId: string): void {
      erase(pseudoId);
    },

    counts(): { profiles: number; receipts: number } {
      return counts.get() as { profiles: number; receipts: number };
    },

    close(): void {
      db.close();
    },
  };
}

export type CollectorDb = ReturnType<typeof openDatabase>;
