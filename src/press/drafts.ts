// Public consultation on draft documents: a person comments (the bot calls commentOnDraft) and is
// given a code to quote, like a ticket's; the comments go to the agency drafting the document.
import type { Db } from '../db/database';
import type { DraftDocument, StaffUser } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import { storableText } from '../messages/storable';
import type { Tx } from '../messages/store';
import { newTrackingCode, normalizeTrackingCode } from '../tickets/tracking-code';
import { PressError } from './errors';

/** Comment codes read "GY-26-7K3QD" (góp ý): the ticket format, a prefix of their own so they never collide with tickets. */
export const DRAFT_COMMENT_PREFIX = 'GY';

export const isDraftOpen = (draft: Pick<DraftDocument, 'opensAt' | 'closesAt'>, now: Date) => draft.opensAt <= now && now <= draft.closesAt;

/** Drafts open for comment now, closing soonest first. */
export function openDrafts(db: Db | Tx, now: Date = new Date()): Promise<DraftDocument[]> {
  return db.draftDocument.findMany({ where: { opensAt: { lte: now }, closesAt: { gte: now } }, orderBy: { closesAt: 'asc' } });
}

export interface DraftCommentInput {
  draftId: string;
  contactId: string;
  text: string;
  /** The article commented on ("Điều 5"), when the person named one. */
  article?: string | null;
  now?: Date;
}

/** Stores the comment; returns its code. Refused with draft_not_found (404) or draft_closed (409). */
export async function commentOnDraft(tx: Tx, input: DraftCommentInput): Promise<{ id: string; trackingCode: string }> {
  const now = input.now ?? new Date();
  const draft = await tx.draftDocument.findUnique({ where: { id: input.draftId } });
  if (!draft) throw new PressError(404, 'draft_not_found', 'No such draft document.');
  if (!isDraftOpen(draft, now)) throw new PressError(409, 'draft_closed', 'This draft is not open for comments.');
  const text = storableText(input.text.trim());
  if (!text) throw new PressError(400, 'empty_comment', 'The comment is empty.');
  for (let attempt = 0; ; attempt++) {
    const trackingCode = newTrackingCode(DRAFT_COMMENT_PREFIX, now);
    // A savepoint, so a (rare) code collision does not abort the caller's transaction.
    const taken = await tx.draftComment.findUnique({ where: { trackingCode }, select: { id: true } });
    if (taken && attempt < 5) continue;
    try {
      const comment = await tx.draftComment.create({
        data: { draftId: draft.id, contactId: input.contactId, text, article: input.article?.trim() || null, trackingCode, createdAt: now },
      });
      return { id: comment.id, trackingCode };
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002' && attempt < 5) continue;
      throw err;
    }
  }
}

/** A comment by its code (as people type it), with its draft and the drafting agency; null when there is none. */
export async function findDraftComment(db: Db | Tx, rawCode: string) {
  const code = normalizeTrackingCode(rawCode);
  if (!code?.startsWith(`${DRAFT_COMMENT_PREFIX}-`)) return null;
  return db.draftComment.findUnique({ where: { trackingCode: code }, include: { draft: { include: { agency: true } } } });
}

/** Who sees a draft's comments: admins, press officers, and staff of the drafting agency. */
export function seesDraftComments(staff: Pick<StaffUser, 'role' | 'agencyId'>, draft: Pick<DraftDocument, 'agencyId'>): boolean {
  return staff.role === 'admin' || staff.role === 'press_officer' || (staff.agencyId !== null && staff.agencyId === draft.agencyId);
}
