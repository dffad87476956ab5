import {
  ATTACHMENT_LIMITS,
  resolveContentType,
  sniffContentType,
  SNIFF_BYTES,
  type AllowedContentType,
} from '@dutydesk/shared';
import busboy from 'busboy';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { HttpError } from '../../http/errors';
import type { BlobSpool, BlobStore, SpooledBlob } from './blobStore';

/** Room for the multipart envelope (boundaries, part headers) on top of the file's own bytes. */
export const MULTIPART_OVERHEAD = 64 * 1024;

/** An upload spooled and checked, not yet at its address in the store. */
export interface ReceivedUpload {
  blob: SpooledBlob;
  name: string;
  contentType: AllowedContentType;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(n / 1024)} KiB`;
}

/** 413: the file (or the request that carries it) is larger than the desk takes. */
export function tooLarge(maxBytes: number, got?: number): HttpError {
  return new HttpError(
    'payload_too_large',
    `The file is larger than the limit of ${formatBytes(maxBytes)}${got === undefined ? '' : ` (the request announces ${formatBytes(got)})`}; nothing was stored`,
    [{ path: 'file', message: `at most ${maxBytes} bytes` }],
  );
}

function invalid(message: string, status?: number): HttpError {
  return new HttpError('invalid', message, [{ path: 'file', message }], undefined, status);
}

/**
 * Checks the request before a byte of its body is read: multipart, and a `Content-Length` (when
 * given) within the limit, so a 2 GB upload is refused at once and nothing is written.
 */
export function checkUploadHeaders(req: IncomingMessage, maxBytes: number): void {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new HttpError(
      'invalid',
      'Send the file as multipart/form-data with one part named "file"',
      [{ path: 'content-type', message: 'expected multipart/form-data' }],
      undefined,
      415,
    );
  }
  const length = req.headers['content-length'];
  if (length !== undefined) {
    const n = Number(length);
    if (Number.isFinite(n) && n > maxBytes + MULTIPART_OVERHEAD) throw tooLarge(maxBytes, n);
  }
}

/**
 * A file name as stored: the last path segment (some browsers send a whole Windows path),
 * NFC, without control characters, at most 255 characters with its extension kept.
 * @example cleanFileName('C:\\Users\\li\\截图 1.png') // '截图 1.png'
 */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  if (clean === '' || clean === '.' || clean === '..') return 'attachment';
  const chars = [...clean];
  if (chars.length <= ATTACHMENT_LIMITS.name) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 ? [...clean.slice(dot)].slice(0, 16).join('') : '';
  return chars.slice(0, ATTACHMENT_LIMITS.name - [...ext].length).join('') + ext;
}

/**
 * Reads one file through: its first bytes are sniffed before anything is written (a refused
 * type leaves no temp file), the rest is counted as it streams (a body past the limit without
 * a Content-Length is cut off there) and spooled while hashed.
 */
async function spoolFile(
  stream: Readable & { truncated?: boolean },
  declared: string,
  store: BlobStore,
  maxBytes: number,
): Promise<{ blob: SpooledBlob; contentType: AllowedContentType }> {
  const head: Buffer[] = [];
  let headBytes = 0;
  let total = 0;
  let spool: BlobSpool | null = null;
  let contentType: AllowedContentType | null = null;
  const open = async (): Promise<BlobSpool> => {
    const bytes = Buffer.concat(head);
    if (bytes.length === 0) throw invalid('The file is empty');
    const verdict = resolveContentType(declared, sniffContentType(bytes.subarray(0, SNIFF_BYTES)));
    if (!verdict.ok) throw invalid(`Refused: ${verdict.message}`, 415);
    contentType = verdict.contentType;
    const s = store.spool();
    try {
      await s.write(bytes);
    } catch (err) {
      await s.discard();
      throw err;
    }
    return s;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      if (spool) {
        await spool.write(chunk);
        continue;
      }
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= SNIFF_BYTES) spool = await open();
    }
    if (stream.truncated) throw tooLarge(maxBytes);
    spool ??= await open();
    const blob = await spool.finish();
    return { blob, contentType: contentType as unknown as AllowedContentType };
  } catch (err) {
    await spool?.discard();
    stream.resume();
    throw err;
  }
}

/**
 * Parses a multipart upload as it streams (busboy): exactly one file part named `file`, other
 * fields ignored. Resolves with the spooled, checked file; rejects with an `HttpError` after
 * removing whatever it had written.
 */
export function receiveUpload(
  req: IncomingMessage,
  store: BlobStore,
  maxBytes: number,
): Promise<ReceivedUpload> {
  return new Promise<ReceivedUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: {
          files: 1,
          fileSize: maxBytes + 1,
          fields: 20,
          fieldSize: 4096,
          parts: 40,
          headerPairs: 50,
        },
      });
    } catch (_err) {
      reject(invalid('Malformed multipart/form-data header (no boundary?)', 400));
      return;
    }
    let work: Promise<ReceivedUpload> | null = null;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // The work in flight removes its own temp file; a settled upload is removed here.
      void work?.then((u) => rm(u.blob.path, { force: true })).catch(() => {});
      reject(err);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || work) {
        stream.resume();
        if (field === 'file') fail(invalid('Send exactly one part named "file"', 400));
        return;
      }
      work = spoolFile(stream, info.mimeType, store, maxBytes).then(({ blob, contentType }) => ({
        blob,
        contentType,
        name: cleanFileName(info.filename),
      }));
      work.catch(fail);
    });
    parser.on('filesLimit', () => fail(invalid('Send exactly one part named "file"', 400)));
    parser.on('error', () => fail(invalid('Malformed multipart/form-data body', 400)));
    parser.on('close', () => {
      if (!work) {
        fail(invalid('No part named "file" in the upload', 400));
        return;
      }
      work.then(
        (u) => {
          if (settled) return;
          settled = true;
          resolve(u);
        },
        (err: unknown) => fail(err),
      );
    });
    req.on('aborted', () => fail(invalid('The upload was cut short', 400)));
    req.pipe(parser);
  });
}

/**
 * After refusing an upload whose body was not read: the answer says `Connection: close`, and at
 * most `budget` more bytes are read (so the client, still sending, reads the answer instead of
 * a reset) before the connection is closed.
 */
export function closeAfterRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  budget = 1024 * 1024,
): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => {
    if (req.complete) return;
    let read = 0;
    const timer = setTimeout(() => req.socket.destroy(), 2000);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > budget) {
        clearTimeout(timer);
        req.socket.destroy();
      }
    });
    req.on('end', () => clearTimeout(timer));
    req.resume();
  });
}
