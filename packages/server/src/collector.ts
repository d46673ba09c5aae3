import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger, decodePayload, type LogLevel, PAYLOAD_MAX_BYTES } from '@portrait/core';
import { type CollectorDb, openDatabase } from './db';

export interface CollectorOptions {
  /** SQLite file (or ':memory:'). */
  dbPath: string;
  /** Origins allowed to sync (the shop's pages); '*' allows any. */
  allowedOrigins: string[] | '*';
  logLevel?: LogLevel;
}

export interface Collector {
  server: Server;
  db: CollectorDb;
  close(): Promise<void>;
}

const PSEUDO_ID = /^[0-9a-f]{32}$/;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop buffering; the rest is drained and dropped so the 413 can still be delivered.
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The reference collector: accepts compact payloads, stores the latest per pseudonymous id. */
export function createCollector(options: CollectorOptions): Collector {
  const log = createLogger('portrait:collector', options.logLevel ?? 'info');
  const db = openDatabase(options.dbPath);

  const cors = (req: IncomingMessage, res: ServerResponse): boolean => {
    const origin = req.headers.origin;
    if (!origin) return true;
    const allowed = options.allowedOrigins === '*' || options.allowedOrigins.includes(origin);
    if (!allowed) return false;
    res.setHeader('access-control-allow-origin', options.allowedOrigins === '*' ? '*' : origin);
    res.setHeader('vary', 'origin');
    res.setHeader('access-control-allow-methods', 'POST, DELETE, OPTIONS');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-max-age', '86400');
    return true;
  };

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://collector');
    if (!cors(req, res)) return send(res, 403, { code: 'origin-not-allowed' });
    if (req.method === 'OPTIONS') return send(res, 204);

    if (url.pathname === '/v1/health' && req.method === 'GET') return send(res, 200, { ok: true });
    if (url.pathname === '/v1/stats' && req.method === 'GET') return send(res, 200, db.counts());

    if (url.pathname === '/v1/profiles' && req.method === 'POST') {
      const declared = Number(req.headers['content-length'] ?? 0);
      const body = declared > PAYLOAD_MAX_BYTES ? 'too-large' : await readBody(req, PAYLOAD_MAX_BYTES);
      if (body === 'too-large') {
        res.setHeader('connection', 'close');
        req.resume();
        return send(res, 413, { code: 'payload/too-large' });
      }
      const decoded = decodePayload(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
      if (!decoded.ok) return send(res, 400, { code: decoded.code, message: decoded.message });
      const p = decoded.payload;
      const stored = db.save(
        {
          pseudoId: p.pseudoId,
          modelHash: p.modelHash,
          basisVersion: p.basisVersion,
          flags: p.flags,
          vectors: p.vectors,
          timestamp: p.timestamp,
          receivedAt: Date.now(),
        },
        p.idempotencyKey,
      );
      log.debug(stored ? 'stored' : 'duplicate', p.pseudoId.slice(0, 8), `${body.length} bytes`);
      return send(res, stored ? 201 : 200, { duplicate: !stored });
    }

    const match = /^\/v1\/profiles\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === 'DELETE') {
      const id = match[1] ?? '';
      if (!PSEUDO_ID.test(id)) return send(res, 400, { code: 'bad-id' });
      db.erase(id);
      return send(res, 204);
    }
    return send(res, 404, { code: 'not-found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error('request failed', err);
      if (!res.headersSent) send(res, 500, { code: 'internal' });
    });
  });

  return {
    server,
    db,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
