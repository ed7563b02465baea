// Files a person sends from the web chat widget: checked (type by its first bytes, size), kept in
// the database, attached to a message by id, and opened for staff like a platform's file.
import { Readable } from 'node:stream';
import type { Attachment, AttachmentContent } from '../channels/types';
import type { Db } from '../db/database';

/** Largest file accepted (photos from a phone camera fit; the database keeps the bytes). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** What the widget accepts, and how each is recognised from its first bytes (the declared type must match). */
const KINDS: Record<string, { attachment: 'image' | 'file'; matches: (b: Buffer) => boolean }> = {
  'image/jpeg': { attachment: 'image', matches: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/png': { attachment: 'image', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/webp': { attachment: 'image', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  'application/pdf': { attachment: 'file', matches: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
};

export const UPLOAD_TYPES = Object.keys(KINDS);

const REF_PREFIX = 'webchat-upload:';
export const uploadRef = (id: string) => `${REF_PREFIX}${id}`;

export type UploadCheck = { ok: true; attachment: 'image' | 'file' } | { ok: false; reason: 'unsupported_type' | 'too_large' | 'empty' | 'type_mismatch'; message: string };

export function checkUpload(contentType: string, bytes: Buffer): UploadCheck {
  const kind = KINDS[contentType];
  if (!kind) return { ok: false, reason: 'unsupported_type', message: `Files of type ${contentType || 'unknown'} are not accepted; send a photo (JPEG, PNG, WebP) or a PDF.` };
  if (bytes.length === 0) return { ok: false, reason: 'empty', message: 'The file is empty.' };
  if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, reason: 'too_large', message: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` };
  if (!kind.matches(bytes)) return { ok: false, reason: 'type_mismatch', message: `The file is not a ${contentType} file.` };
  return { ok: true, attachment: kind.attachment };
}

/** A file name safe to keep and show: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string | undefined {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? [...base].slice(0, 200).join('') : undefined;
}

export async function storeUpload(db: Db, sessionId: string, file: { contentType: string; bytes: Buffer; fileName?: string }): Promise<{ id: string }> {
  const row = await db.webchatUpload.create({
    data: { sessionId, contentType: file.contentType, size: file.bytes.length, fileName: cleanFileName(file.fileName), bytes: new Uint8Array(file.bytes) },
    select: { id: true },
  });
  return row;
}

/** The attachments for these uploads of this session, in the given order; null when one is not theirs. */
export async function uploadAttachments(db: Db, sessionId: string, ids: string[]): Promise<Attachment[] | null> {
  if (ids.length === 0) return [];
  const rows = await db.webchatUpload.findMany({ where: { id: { in: ids }, sessionId }, select: { id: true, contentType: true, fileName: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: Attachment[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) return null;
    out.push({ type: KINDS[row.contentType]?.attachment ?? 'file', url: uploadRef(id), ...(row.fileName ? { name: row.fileName } : {}) });
  }
  return out;
}

/** Opens an upload by its reference, for staff; null when `ref` is not a web chat upload or is gone. */
export async function openUpload(db: Db, ref: string): Promise<AttachmentContent | null> {
  if (!ref.startsWith(REF_PREFIX)) return null;
  const id = ref.slice(REF_PREFIX.length);
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await db.webchatUpload.findUnique({ where: { id } });
  if (!row) return null;
  return { body: Readable.from([Buffer.from(row.bytes)]), contentType: row.contentType, size: row.size, fileName: row.fileName ?? undefined };
}
