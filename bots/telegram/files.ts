// Opening a file a person sent on Telegram, for staff reading the ticket. We store only the file id
// (`telegram-file:<file_id>`, see inbound.ts): the download address
// https://api.telegram.org/file/bot<token>/<file_path> carries the bot token, so it is built here,
// used once, and never stored, returned, logged or put in an error message.
// https://core.telegram.org/bots/api#getfile: "bots can download files of up to 20MB in size";
// bigger files get 400 "Bad Request: file is too big" from getFile.
import { pipeline, Readable, Transform } from 'node:stream';
import { GrammyError, type Api } from 'grammy';
import type { Logger } from 'pino';
import { AttachmentUnavailableError, type AttachmentContent } from '../../src/channels/types';
import { FILE_REF_PREFIX } from './inbound';

export const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;
/** How long Telegram's file server may take to start answering; the body then streams as it comes. */
const DOWNLOAD_START_TIMEOUT_MS = 30_000;

/**
 * Telegram's file server answers application/octet-stream for most files, so the type comes from
 * the extension of file_path (photos/file_3.jpg, voice/file_7.oga, documents/file_9.pdf…).
 */
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  pdf: 'application/pdf',
  tgs: 'application/x-tgsticker',
};

export interface TelegramFilesOptions {
  api: Api;
  apiBase: string;
  token: string;
  log: Logger;
}

export function telegramFiles(opts: TelegramFilesOptions): (ref: string) => Promise<AttachmentContent | null> {
  const { api, apiBase, token, log } = opts;
  /** Belt and braces: nothing derived from an error reaches a log or a message with the token in it. */
  const redact = (text: string) => text.split(token).join('<bot-token>');
  const tooLarge = (size?: number) =>
    new AttachmentUnavailableError(
      `This file is ${size ? `${(size / 1024 / 1024).toFixed(1)} MB, ` : ''}over the 20 MB Telegram lets a bot download; ask the person to send it another way (a smaller photo, or by e-mail).`,
      'too_large',
    );

  return async (ref) => {
    if (!ref.startsWith(FILE_REF_PREFIX)) return null;
    const fileId = ref.slice(FILE_REF_PREFIX.length);
    if (!fileId) return null;

    let filePath: string;
    let size: number | undefined;
    try {
      const file = await api.getFile(fileId);
      if (!file.file_path) {
        throw new AttachmentUnavailableError('Telegram gave no download path for this file; try again later.', 'platform_failed');
      }
      filePath = file.file_path;
      size = file.file_size;
    } catch (err) {
      if (err instanceof AttachmentUnavailableError) throw err;
      if (err instanceof GrammyError) {
        const description = redact(err.description);
        if (/too big/i.test(description)) throw tooLarge();
        // 400 "wrong file_id", "invalid file_id", "file not found": the id no longer opens anything.
        if (err.error_code === 400 && /file/i.test(description)) {
          throw new AttachmentUnavailableError(`Telegram no longer has this file (${description}).`, 'gone');
        }
        log.warn({ method: 'getFile', status: err.error_code, description }, 'Telegram refused getFile');
        throw new AttachmentUnavailableError(`Telegram refused to give the file (${err.error_code}: ${description}); try again later.`, 'platform_failed');
      }
      log.warn({ method: 'getFile', reason: redact(describe(err)) }, 'Telegram getFile failed');
      throw new AttachmentUnavailableError('Telegram could not be reached to get the file; try again later.', 'platform_failed');
    }
    if (size !== undefined && size > DOWNLOAD_LIMIT_BYTES) throw tooLarge(size);

    const path = filePath.split('/').map(encodeURIComponent).join('/');
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), DOWNLOAD_START_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(`${apiBase}/file/bot${token}/${path}`, { signal: abort.signal });
    } catch (err) {
      log.warn({ reason: redact(describe(err)) }, 'Telegram file download failed');
      throw new AttachmentUnavailableError('Telegram could not be reached to download the file; try again later.', 'platform_failed');
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      log.warn({ status: res.status }, 'Telegram file server refused the download');
      throw new AttachmentUnavailableError(`Telegram's file server answered ${res.status} to the download; try again later.`, 'platform_failed');
    }
    const length = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(length) && length > DOWNLOAD_LIMIT_BYTES) {
      await res.body.cancel().catch(() => undefined);
      throw tooLarge(length);
    }

    const fileName = filePath.split('/').pop() || undefined;
    const ext = fileName?.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
    const served = res.headers.get('content-type')?.split(';')[0]?.trim();
    const contentType = TYPES[ext] ?? (served && served !== 'application/octet-stream' ? served : 'application/octet-stream');
    return {
      // pipeline, not pipe: a failure upstream must end the response too, not leave it hanging.
      body: pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>), limitBytes(DOWNLOAD_LIMIT_BYTES), (err) => {
        if (err) log.warn({ reason: redact(describe(err)) }, 'Telegram file download broke off');
      }),
      contentType,
      // Only the download's own length: a promised length the body then misses would break the response.
      size: Number.isFinite(length) ? length : undefined,
      fileName,
    };
  };
}

/** Stops a body that grows past the limit without having said its length (chunked). */
function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > max) return done(new Error(`download exceeded ${max} bytes`));
      done(null, chunk);
    },
  });
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown; error?: unknown }).cause ?? (err as { error?: unknown }).error;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}
