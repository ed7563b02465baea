// Answers published on the public pages /hoi-dap and /qa: a question and its answer from a ticket,
// with the agency and the date, never who asked. Published only when the person agreed or the
// text was anonymised; anonymised text is also cleared of phone numbers and codes.
import type { Db } from '../db/database';
import type { PublishedAnswer, StaffUser } from '../generated/prisma/client';
import type { Locale } from '../i18n';
import { knowledgeWords } from '../knowledge/search';
import { normalizeTrackingCode } from '../tickets/tracking-code';
import { PressError } from './errors';

/** The consent purpose the bot records when a person agrees to their question being published. */
export const PUBLISH_CONSENT_PURPOSE = 'publish_answer';

export interface PublishAnswerInput {
  question: string;
  answer: string;
  anonymised: boolean;
  locale?: Locale;
}

const PHONE_LIKE = /(?:\+?84|0)(?:[ .-]?\d){8,10}/g;
const EMAIL_LIKE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const CODE_LIKE = /\b[A-Za-z]{2,4}[-.]\d{2}[-.][A-Za-z0-9]{5}\b/g;

/** Clears what identifies a person that staff may have left in: phone numbers, e-mails, tracking codes. */
export function anonymise(text: string): string {
  return text.replace(EMAIL_LIKE, '***').replace(CODE_LIKE, '***').replace(PHONE_LIKE, '***');
}

/**
 * Publishes a ticket's question and answer. Allowed to admins, press officers and staff of the
 * ticket's agency (others: ticket_not_found, so codes cannot be probed); refused with
 * consent_required unless the person's latest publication consent was granted or it is anonymised.
 */
export async function publishTicketAnswer(
  db: Db,
  staff: Pick<StaffUser, 'id' | 'role' | 'agencyId'>,
  rawCode: string,
  input: PublishAnswerInput,
  /** Where the public pages are: the knowledge-base copy links to them. */
  site: { publicUrl: string } = { publicUrl: '' },
): Promise<PublishedAnswer> {
  const code = normalizeTrackingCode(rawCode);
  const ticket = code ? await db.ticket.findUnique({ where: { trackingCode: code }, include: { contact: true } }) : null;
  const allowed =
    ticket && (staff.role === 'admin' || staff.role === 'press_officer' || (staff.agencyId !== null && staff.agencyId === ticket.agencyId));
  if (!ticket || !allowed) throw new PressError(404, 'ticket_not_found', `No ticket ${code ?? rawCode} you may publish.`);
  const consent = await db.contactConsent.findFirst({
    where: { contactId: ticket.contactId, purpose: PUBLISH_CONSENT_PURPOSE },
    orderBy: { createdAt: 'desc' },
  });
  const consented = consent?.granted === true;
  if (!consented && !input.anonymised) {
    throw new PressError(
      409,
      'consent_required',
      'The person has not agreed to publication: anonymise the question and answer (anonymised: true) or ask for their consent.',
    );
  }
  const clean = (text: string) => (input.anonymised ? anonymise(text) : text).trim();
  return db.$transaction(async (tx) => {
    const published = await tx.publishedAnswer.create({
      data: {
        ticketId: ticket.id,
        question: clean(input.question),
        answer: clean(input.answer),
        topic: ticket.topic,
        agencyId: ticket.agencyId,
        publishedById: staff.id,
        anonymised: input.anonymised,
        consent: consented,
        locale: input.locale ?? (ticket.contact.locale === 'en' ? 'en' : 'vi'),
      },
    });
    // The next person who asks the same gets it at once: a published answer is also a
    // knowledge-base entry (the bot's index reads it at its next refresh).
    const page = published.locale === 'en' ? 'qa' : 'hoi-dap';
    await tx.knowledgeEntry.create({
      data: {
        slug: `hoi-dap-${published.id}`,
        topic: published.topic ?? 'general',
        agencyId: published.agencyId,
        kind: 'answer',
        titleVi: published.question,
        titleEn: published.question,
        answerVi: published.answer,
        answerEn: published.answer,
        sourceName: published.locale === 'en' ? 'Hotline Q&A' : 'Hỏi – đáp Đường dây nóng',
        sourceUrl: `${site.publicUrl}/${page}`,
      },
    });
    return published;
  });
}

/**
 * Published answers in one language, newest first: with a query, those containing every word of
 * it in the question or answer, compared the knowledge base's way (no diacritics, abbreviations
 * expanded), so "giay phep xay dung" finds "giấy phép xây dựng".
 */
export async function searchPublishedAnswers(
  db: Db,
  opts: { locale: Locale; q?: string; topic?: string; limit?: number },
) {
  const rows = await db.publishedAnswer.findMany({
    where: { locale: opts.locale, ...(opts.topic ? { topic: opts.topic } : {}) },
    orderBy: { publishedAt: 'desc' },
    include: { agency: true },
    take: 2000,
  });
  const wanted = [...new Set(knowledgeWords(opts.q ?? ''))];
  const hits = wanted.length === 0
    ? rows
    : rows.filter((r) => {
        const words = new Set(knowledgeWords(`${r.question} ${r.answer}`));
        return wanted.every((w) => words.has(w));
      });
  return hits.slice(0, opts.limit ?? 50);
}

/** Published answers for the press center's list (both languages), newest first, with their ticket's code. */
export function listPublishedAnswers(db: Db, opts: { locale?: Locale; limit?: number } = {}) {
  return db.publishedAnswer.findMany({
    where: opts.locale ? { locale: opts.locale } : {},
    orderBy: { publishedAt: 'desc' },
    take: opts.limit ?? 200,
    include: { agency: { select: { id: true, slug: true, name: true } }, ticket: { select: { trackingCode: true } } },
  });
}

/**
 * Takes an answer off /hoi-dap and /qa, with the knowledge-base copy publishing made of it (the bot
 * stops giving it at its next index refresh). Press officers and admins only (the route checks).
 */
export async function unpublishAnswer(db: Db, id: string): Promise<PublishedAnswer> {
  return db.$transaction(async (tx) => {
    const published = await tx.publishedAnswer.findUnique({ where: { id } });
    if (!published) throw new PressError(404, 'published_answer_not_found', 'No such published answer.');
    await tx.knowledgeEntry.deleteMany({ where: { slug: `hoi-dap-${published.id}` } });
    await tx.publishedAnswer.delete({ where: { id } });
    return published;
  });
}
