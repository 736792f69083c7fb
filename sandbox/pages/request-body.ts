/** Reading small request bodies (forms, JSON) with a size cap. */
import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  constructor(
    readonly code: 'body_too_large' | 'body_malformed',
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

const DEFAULT_LIMIT = 16 * 1024;

export async function readBody(req: IncomingMessage, limit = DEFAULT_LIMIT): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyError('body_too_large', `request body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError('body_malformed', 'request body is not JSON');
  }
}
