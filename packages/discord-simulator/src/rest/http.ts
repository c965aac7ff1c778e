import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordHttpError, httpErrors } from '../errors.js';

export interface UploadedFile {
  /** The multipart field, e.g. `files[0]`. */
  field: string;
  filename: string;
  size: number;
  contentType: string | null;
}

export interface RequestBody {
  /** Parsed JSON, or a multipart request's `payload_json`; undefined when there was no body. */
  json: unknown;
  files: UploadedFile[];
  /** An `application/x-www-form-urlencoded` body (OAuth2's token endpoint, the authorize page's form). */
  form?: URLSearchParams | undefined;
}

/** Form fields never written to `calls`. */
const SECRET_FIELDS = new Set(['client_secret']);

/** Discord refuses bodies above its upload limit; so do we, before buffering more. */
const MAX_BODY_BYTES = 26 * 1024 * 1024;

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new DiscordHttpError(413, { message: 'Request entity too large', code: 40005 });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * JSON, multipart/form-data with `payload_json` and `files[n]` parts (what @discordjs/rest sends), or an
 * urlencoded form (what OAuth2 clients send).
 */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<RequestBody> {
  if (raw.length === 0) return { json: undefined, files: [] };
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return { json: undefined, files: [], form: new URLSearchParams(raw.toString('utf8')) };
  }
  if (contentType?.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      // A Uint8Array view: the DOM typings (the control plane type-checks this source) don't take a Buffer.
      form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw httpErrors.badJson();
    }
    const files: UploadedFile[] = [];
    let json: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = parseJson(value);
      } else {
        files.push({ field, filename: value.name, size: value.size, contentType: value.type || null });
      }
    }
    return { json, files };
  }
  return { json: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw httpErrors.badJson();
  }
}

/**
 * The body as recorded in `calls`: the JSON, with uploaded files listed under `files`; a form as an object
 * of its fields (`client_secret` redacted).
 */
export function recordedBody(body: RequestBody | null): unknown {
  if (body?.form) {
    return Object.fromEntries(
      [...body.form.entries()].map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]),
    );
  }
  if (!body || (body.json === undefined && body.files.length === 0)) return null;
  if (body.files.length === 0) return body.json;
  const files = body.files.map((f) => ({ name: f.filename, size: f.size }));
  return typeof body.json === 'object' && body.json !== null ? { ...body.json, files } : { files };
}

export function writeHtml(
  response: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string>,
): void {
  response
    .writeHead(status, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(html)),
    })
    .end(html);
}

export function writeJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  if (status === 204 || body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
    })
    .end(text);
}
