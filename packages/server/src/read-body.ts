import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The request body, 'too-large' as soon as it passes `limit` (declared or streamed), or
 * 'aborted' when the client went away mid-body (its fault, not a server error). Reads the Node
 * request directly when there is one: building a WHATWG Request around a 127-byte body costs
 * more than the whole upsert.
 */
export async function readBody(c: Context, limit: number): Promise<Uint8Array | 'too-large' | 'aborted'> {
  const declared = Number(c.req.header('content-length'));
  if (declared > limit) return 'too-large';
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return bytes.length > limit ? 'too-large' : bytes;
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest is drained and dropped so the 413 can still be delivered.
        incoming.off('data', onData);
        incoming.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(size > limit ? 'too-large' : new Uint8Array(Buffer.concat(chunks))));
    incoming.once('error', () => resolve('aborted'));
    // A request timeout destroys the socket; nothing more will come (a no-op after 'end').
    incoming.once('close', () => resolve('aborted'));
  });
}
