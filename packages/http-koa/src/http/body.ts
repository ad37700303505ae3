import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';

/** Reads the whole request body, refusing more than `limit` bytes with 413 InputTooLarge. */
export const readBody = (req: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError('InputTooLarge', `Request body of ${declared} bytes exceeds the limit of ${limit} bytes`));
      req.resume();
      return;
    }
    // Nothing to wait for (a body-less POST); Node discards the empty stream after the answer.
    if (declared === 0) {
      resolve('');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return; // already refused: the rest is discarded until the socket closes
      size += chunk.length;
      if (size > limit) {
        // Destroying the socket here would leave the client without an answer; it gets the 413
        // and the connection is closed after it (see app.ts).
        chunks.length = 0;
        reject(new HttpError('InputTooLarge', `Request body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** Parses a JSON body; an empty body is `undefined`, malformed JSON a 400 MalformedPayload. */
export const parseJsonBody = (text: string): unknown => {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError('MalformedPayload', `Request body is not valid JSON: ${(error as Error).message}`);
  }
};
