// Answers published on the public pages /hoi-dap and /qa: a question and its answer from a ticket,
// with the agency and the date, never who asked. Published as written only when the person agreed
// (asked in their conversation with askPublishConsent, answered in the bot), otherwise anonymised:
// the texts are cleared of what identifies a person (see anonymise) and staff read the result.
import type { Db } from '../db/database';
import type { PublishedAnswer, StaffUser, Ticket } from '../generated/prisma/client';
import { Prisma } from '../generated/prisma/client';
import { findAddresses } from '../classify/entities';
import type { Locale, Translator } from '../i18n';
import { knowledgeWords } from '../knowledge/search';
import { storeOutbound, type Tx } from '../messages/store';
import type { JobRef } from '../queue/types';
import { normalizeTrackingCode } from '../tickets/tracking-code';
import { PressError } from './errors';
import { contactLocale } from './locale';

/** The consent purpose of a person's agreement to the publication of one question of theirs (contact_consent.ticket_id). */
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
/**
 * Common Vietnamese family names: a capitalised run starting with one is taken for a person's name.
 * Left out are those that mostly start place names (Hà Nội, Hồ Chí Minh, Cao Bằng, Lâm Đồng, Thái
 * Bình, Châu Đốc, Lý Tự Trọng…), which an answer about a public office names all the time.
 */
const SURNAMES =
  'Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Ngô|Dương|Đinh|Trương|Đoàn|Lưu|Trịnh|Đào|Lương|Quách|Kiều|Tăng|Nguyen|Tran|Pham|Hoang|Huynh|Dang|Bui|Ngo|Duong|Dinh|Truong|Doan|Luu|Trinh|Dao|Luong';
const NAME_WORD = '\\p{Lu}\\p{Ll}*';
const NAME = `${NAME_WORD}(?:\\s${NAME_WORD}){0,3}`;
/** "Nguyễn Văn An", unless it names a street, a school, a ward… ("đường Lê Lợi", "trường Nguyễn Du"). */
const FULL_NAME = new RegExp(
  `(?<!(?:đường|duong|Đường|phố|pho|street|road|Street|Road|trường|truong|Trường|phường|phuong|Phường|quận|quan|Quận|cầu|cau|chợ|cho|hẻm|hem|công viên|cong vien|bệnh viện|benh vien|THPT|THCS|Đ\\.)\\s)(?<![\\p{L}])(?:${SURNAMES})(?:\\s${NAME_WORD}){1,3}(?![\\p{L}])`,
  'gu',
);
/** "tôi là An", "tên em là Lan", "my name is John Smith", "anh Tuấn", "bà Nguyễn Thị Mai": the name that follows. */
const NAMED = new RegExp(
  `((?:[Tt]ôi|[Tt]oi|[Ee]m|[Mm]ình|[Mm]inh|[Tt]ên (?:tôi|toi|em|mình|minh)|(?:[Tt]ôi|[Tt]oi|[Ee]m) tên)\\s+(?:là|la)\\s+|(?:[Mm]y name is|I am|I'm)\\s+|(?<![\\p{L}])(?:[Óó]ng|[Bb]à|[Aa]nh|[Cc]hị|[Cc]hú|[Cc]ô|Mr\\.?|Mrs\\.?|Ms\\.?)\\s+)(${NAME})`,
  'gu',
);

const HIDDEN = '***';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Clears what identifies a person from a text to publish: whatever the hotline knows of this
 * person (`known`: their name, phone, e-mail, the place they gave), phone numbers, e-mails,
 * tracking codes, and names after "tôi là", "my name is" or a form of address ("anh Tuấn", "bà
 * Nguyễn Thị Mai"). In the person's own words (`question`) also street addresses with a house
 * number and full names that start with a Vietnamese family name; an agency's answer keeps those,
 * as it names public offices and streets. It cannot find everything (a nickname, a shop's name):
 * staff read the published text, which the API returns, and edit it if something is left.
 */
export function anonymise(text: string, known: Array<string | null | undefined> = [], kind: 'question' | 'answer' = 'question'): string {
  let out = text.normalize('NFC');
  for (const value of known) {
    const v = value?.normalize('NFC').trim();
    if (v && v.length >= 3) out = out.replace(new RegExp(escapeRegExp(v), 'giu'), HIDDEN);
  }
  if (kind === 'question') for (const address of findAddresses(out)) out = out.split(address).join(HIDDEN);
  out = out
    .replace(EMAIL_LIKE, HIDDEN)
    .replace(CODE_LIKE, HIDDEN)
    .replace(PHONE_LIKE, HIDDEN)
    .replace(NAMED, (_m, lead: string) => `${lead}${HIDDEN}`);
  return kind === 'question' ? out.replace(FULL_NAME, HIDDEN) : out;
}

/** The question and answer as the database searches them: the knowledge base's words, one space apart, a space at each end. */
export function publishedSearchText(question: string, answer: string): string {
  return ` ${knowledgeWords(`${question} ${answer}`).join(' ')} `;
}

/** Indexes the answers published before search_text existed (run at start; cheap when there are none). */
export async function indexPublishedAnswers(db: Db): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db.publishedAnswer.findMany({ where: { searchText: null }, select: { id: true, question: true, answer: true }, take: 200 });
    if (rows.length === 0) return done;
    for (const r of rows) await db.publishedAnswer.update({ where: { id: r.id }, data: { searchText: publishedSearchText(r.question, r.answer) } });
    done += rows.length;
  }
}

type Publisher = Pick<StaffUser, 'id' | 'role' | 'agencyId'>;

/** The ticket a staff member may publish from: admins, press officers, its agency; others get ticket_not_found, so codes cannot be probed. */
async function publishableTicket(db: Db | Tx, staff: Publisher, rawCode: string) {
  const code = normalizeTrackingCode(rawCode);
  const ticket = code ? await db.ticket.findUnique({ where: { trackingCode: code }, include: { contact: true } }) : null;
  const allowed =
    ticket && (staff.role === 'admin' || staff.role === 'press_officer' || (staff.agencyId !== null && staff.agencyId === ticket.agencyId));
  if (!ticket || !allowed) throw new PressError(404, 'ticket_not_found', `No ticket ${code ?? rawCode} you may publish.`);
  return ticket;
}

export type PublishConsentState = 'not_asked' | 'asked' | 'granted' | 'refused';

/** Where the person's agreement to publishing this ticket's question stands: their latest answer, or the latest question. */
export async function publishConsentState(db: Db | Tx, ticketId: string): Promise<{ state: PublishConsentState; at: Date | null }> {
  const consent = await db.contactConsent.findFirst({ where: { ticketId, purpose: PUBLISH_CONSENT_PURPOSE }, orderBy: { createdAt: 'desc' } });
  const asked = await db.ticketEvent.findFirst({ where: { ticketId, kind: 'publish_consent_asked' }, orderBy: { createdAt: 'desc' } });
  if (consent && (!asked || consent.createdAt >= asked.createdAt)) return { state: consent.granted ? 'granted' : 'refused', at: consent.createdAt };
  return asked ? { state: 'asked', at: asked.createdAt } : { state: 'not_asked', at: null };
}

/** The consent state of a ticket a staff member may publish from (404 ticket_not_found otherwise). */
export async function publishConsentOf(db: Db, staff: Publisher, rawCode: string) {
  return publishConsentState(db, (await publishableTicket(db, staff, rawCode)).id);
}

/** What the conversation keeps while the person has not answered the publication question. */
export interface PendingPublishConsent {
  ticketId: string;
  code: string;
  /** The question's message: a typed "yes" or "no" answers it only while it is the bot's latest message. */
  messageId: string;
}

/**
 * Asks the person, in their conversation, whether their question (this ticket's) may be published
 * with the answer: a message with yes/no buttons; the bot records the answer (recordPublishConsent).
 * Refused when the person already answered (409 consent_already_given/refused: ask once).
 */
export async function askPublishConsent(
  db: Db,
  staff: Publisher & Pick<StaffUser, 'displayName'>,
  rawCode: string,
  translator: Translator,
): Promise<{ job: JobRef; messageId: string; ticket: Ticket }> {
  const ticket = await publishableTicket(db, staff, rawCode);
  const current = await publishConsentState(db, ticket.id);
  if (current.state === 'granted' || current.state === 'refused') {
    throw new PressError(409, `consent_already_${current.state === 'granted' ? 'given' : 'refused'}`, `The person already answered (${current.state}).`);
  }
  return db.$transaction(async (tx) => {
    // The conversation's row lock: the person's messages are processed under it, so the pending
    // question is never overwritten by a message being answered at this moment.
    await tx.$queryRaw`SELECT id FROM conversation WHERE id = ${ticket.conversationId}::uuid FOR UPDATE`;
    const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: ticket.conversationId } });
    const locale = contactLocale(ticket.contact);
    const code = ticket.trackingCode;
    const { message, job } = await storeOutbound(tx, conversation, {
      author: 'bot',
      ticketId: ticket.id,
      text: translator.t(locale, 'press:publish_consent.ask', { code, summary: ticket.summary.slice(0, 300) }),
      buttons: [
        { label: translator.t(locale, 'press:publish_consent.yes'), value: `publish:yes:${code}` },
        { label: translator.t(locale, 'press:publish_consent.no'), value: `publish:no:${code}` },
      ],
    });
    const state = conversation.state && typeof conversation.state === 'object' && !Array.isArray(conversation.state) ? (conversation.state as Record<string, unknown>) : {};
    const pending: PendingPublishConsent = { ticketId: ticket.id, code, messageId: message.id };
    await tx.conversation.update({ where: { id: conversation.id }, data: { state: { ...state, publishConsent: pending } as unknown as Prisma.InputJsonValue } });
    await tx.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'publish_consent_asked', actorId: staff.id, data: { messageId: message.id } } });
    return { job, messageId: message.id, ticket };
  });
}

/**
 * The person's answer to the publication question, kept with the wording they were shown. Only
 * for their own ticket, and only once it was asked: otherwise false (nothing recorded).
 */
export async function recordPublishConsent(
  tx: Tx,
  input: { contactId: string; code: string; granted: boolean; text: string; locale: Locale; messageId: string; now?: Date },
): Promise<boolean> {
  const code = normalizeTrackingCode(input.code);
  const ticket = code ? await tx.ticket.findUnique({ where: { trackingCode: code } }) : null;
  if (!ticket || ticket.contactId !== input.contactId) return false;
  const current = await publishConsentState(tx, ticket.id);
  if (current.state === 'not_asked') return false;
  await tx.contactConsent.create({
    data: {
      contactId: input.contactId,
      ticketId: ticket.id,
      purpose: PUBLISH_CONSENT_PURPOSE,
      granted: input.granted,
      text: input.text,
      locale: input.locale,
      messageId: input.messageId,
      createdAt: input.now ?? new Date(),
    },
  });
  await tx.ticketEvent.create({ data: { ticketId: ticket.id, kind: input.granted ? 'publish_consent_given' : 'publish_consent_refused', data: { messageId: input.messageId } } });
  return true;
}

/**
 * Publishes a ticket's question and answer. Allowed to admins, press officers and staff of the
 * ticket's agency. As written only when the person agreed to this question's publication;
 * anonymised always (the texts pass through anonymise). Refused with 409 consent_required (never
 * asked), consent_pending (asked, not answered yet) or consent_refused.
 */
export async function publishTicketAnswer(
  db: Db,
  staff: Publisher,
  rawCode: string,
  input: PublishAnswerInput,
  /** Where the public pages are: the knowledge-base copy links to them. */
  site: { publicUrl: string } = { publicUrl: '' },
): Promise<PublishedAnswer> {
  const ticket = await publishableTicket(db, staff, rawCode);
  const { state } = await publishConsentState(db, ticket.id);
  const consented = state === 'granted';
  if (!consented && !input.anonymised) {
    const why = {
      not_asked: ['consent_required', 'The person was not asked: ask them (POST /api/tickets/:code/publish-consent) or publish anonymised.'],
      asked: ['consent_pending', 'The person has not answered the publication question yet: wait, or publish anonymised.'],
      refused: ['consent_refused', 'The person said no to publication: only an anonymised version may be published.'],
    } as const;
    const [error, message] = why[state as keyof typeof why];
    throw new PressError(409, error, message);
  }
  const profile = input.anonymised ? await db.pressProfile.findUnique({ where: { contactId: ticket.contactId } }) : null;
  const known = [ticket.contact.displayName, ticket.contact.phone, ticket.place, profile?.name, profile?.phone, profile?.email];
  const clean = (text: string, kind: 'question' | 'answer') => (input.anonymised ? anonymise(text, known, kind) : text).trim();
  const question = clean(input.question, 'question');
  const answer = clean(input.answer, 'answer');
  return db.$transaction(async (tx) => {
    const published = await tx.publishedAnswer.create({
      data: {
        ticketId: ticket.id,
        question,
        answer,
        topic: ticket.topic,
        agencyId: ticket.agencyId,
        publishedById: staff.id,
        anonymised: input.anonymised,
        consent: consented,
        locale: input.locale ?? (ticket.contact.locale === 'en' ? 'en' : 'vi'),
        searchText: publishedSearchText(question, answer),
      },
    });
    // The next person who asks the same gets it at once: a published answer is also a
    // knowledge-base entry (the bot's index reads it at its next refresh).
    await tx.knowledgeEntry.create({ data: knowledgeEntryOf(published, site.publicUrl) });
    return published;
  });
}

/**
 * Takes an answer off the public pages and out of the knowledge base (a mistake, a person who
 * changed their mind): the ticket's agency, press officers and admins. The bot stops giving it at
 * the knowledge index's next refresh.
 */
export async function withdrawPublishedAnswer(db: Db, staff: Publisher, id: string): Promise<PublishedAnswer> {
  const published = await db.publishedAnswer.findUnique({ where: { id } });
  const allowed =
    published && (staff.role === 'admin' || staff.role === 'press_officer' || (staff.agencyId !== null && staff.agencyId === published.agencyId));
  if (!published || !allowed) throw new PressError(404, 'published_answer_not_found', 'No such published answer you may withdraw.');
  return db.$transaction(async (tx) => {
    await tx.knowledgeEntry.deleteMany({ where: { slug: `hoi-dap-${id}` } });
    return tx.publishedAnswer.delete({ where: { id } });
  });
}

/** A published answer as the knowledge base holds it (slug hoi-dap-<id>), linking to its public page. */
export function knowledgeEntryOf(published: PublishedAnswer, publicUrl: string): Prisma.KnowledgeEntryCreateManyInput {
  return {
    slug: `hoi-dap-${published.id}`,
    topic: published.topic ?? 'general',
    agencyId: published.agencyId,
    kind: 'answer',
    titleVi: published.question,
    titleEn: published.question,
    answerVi: published.answer,
    answerEn: published.answer,
    sourceName: published.locale === 'en' ? 'Hotline Q&A' : 'Hỏi – đáp Đường dây nóng',
    sourceUrl: `${publicUrl}${publishedAnswerPath(published)}`,
  };
}

/** The public page of one published answer: /hoi-dap/<id> (Vietnamese) or /qa/<id> (English). */
export const publishedAnswerPath = (a: Pick<PublishedAnswer, 'id' | 'locale'>) => `${a.locale === 'en' ? '/qa' : '/hoi-dap'}/${a.id}`;

export const QA_PAGE_SIZE = 20;

/**
 * Published answers in one language, newest first, a page at a time: with a query, those holding
 * every word of it in the question or answer, compared the knowledge base's way (no diacritics,
 * abbreviations expanded: "giay phep xay dung" finds "giấy phép xây dựng"). The database does the
 * matching (ILIKE on search_text, a word at a time), so a page costs one query however many there are.
 */
export async function searchPublishedAnswers(
  db: Db,
  opts: { locale: Locale; q?: string; topic?: string; page?: number; pageSize?: number },
) {
  const words = [...new Set(knowledgeWords(opts.q ?? ''))].slice(0, 12);
  const where: Prisma.PublishedAnswerWhereInput = {
    locale: opts.locale,
    ...(opts.topic ? { topic: opts.topic } : {}),
    AND: words.map((w) => ({ searchText: { contains: ` ${w} `, mode: 'insensitive' as const } })),
  };
  const pageSize = opts.pageSize ?? QA_PAGE_SIZE;
  const page = Math.max(1, Math.floor(opts.page ?? 1));
  const [total, answers] = await Promise.all([
    db.publishedAnswer.count({ where }),
    db.publishedAnswer.findMany({
      where,
      orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }],
      include: { agency: true },
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
  ]);
  return { answers, total, page, pages: Math.max(1, Math.ceil(total / pageSize)) };
}
