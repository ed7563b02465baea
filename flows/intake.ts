// Intake: what a 1022 operator does with a message. The engine-wide interrupts come first, at every
// step: /start or a greeting (the menu), a language switch, a tracking code, "where are my
// requests?". Then, by step: a report that says what but not where is asked for its place before it
// is filed; an answered request asks whether it solved the problem ("not solved" reopens it); a
// message while a request is open adds to it unless it is plainly about something else. Only
// confident classifications change the path: anything unsure becomes a ticket a human sees.
import type { Locale } from '../src/i18n';
import { findTrackingCode } from '../src/tickets/tracking-code';
import type { Flow, FlowContext, Reply, StepResult, TicketDraft, TicketView } from './types';

/** Step names of this flow. */
export type IntakeStep = 'start' | 'ticket_open' | 'report_place';

const reply = (ctx: FlowContext, key: string, vars?: Record<string, unknown>, extra: Partial<Reply> = {}): Reply => ({
  text: ctx.t(key, vars),
  key,
  ...extra,
});

/** Where the conversation goes back to after an interrupt: the open request, or the start. */
const resting = (ctx: FlowContext): IntakeStep => (typeof ctx.state.ticketId === 'string' ? 'ticket_open' : 'start');
const stay = (ctx: FlowContext, replies: Reply[]): StepResult => ({ replies, next: resting(ctx), state: ctx.state });

// ---- The menu -------------------------------------------------------------------------------

const MENU = ['report', 'question', 'online', 'my_requests', 'press', 'language'] as const;
type MenuChoice = (typeof MENU)[number];

function menu(ctx: FlowContext, key = 'menu.greeting'): Reply {
  return reply(ctx, key, undefined, { buttons: MENU.map((choice) => ({ label: ctx.t(`menu.${choice}`), value: `menu:${choice}` })) });
}

/** Chat platforms (Telegram) send "/start" when a person opens the bot; people write hello. */
const isStartCommand = (text: string) => /^\/start\b/i.test(text.trim());
const GREETING = /^(?:xin chào|xin chao|chào|chao|alo|hello|hi|hey|good (?:morning|afternoon|evening)|menu)(?:\s+(?:bạn|ban|ad|admin|em|anh|chị|chi|ạ|a|nhé|nhe|there|everyone))*[\s!.,?]*$/iu;

async function menuChoice(ctx: FlowContext, choice: MenuChoice): Promise<StepResult> {
  switch (choice) {
    case 'my_requests':
      return myRequests(ctx);
    case 'language':
      return stay(ctx, [
        reply(ctx, 'language.choose', undefined, {
          buttons: [
            { label: 'Tiếng Việt', value: 'lang:vi' },
            { label: 'English', value: 'lang:en' },
          ],
        }),
      ]);
    default:
      // The person says what it is about in their own words; it is then understood like any message.
      return stay(ctx, [reply(ctx, `menu.prompt_${choice}`)]);
  }
}

// ---- Language -------------------------------------------------------------------------------

const ASKS_ENGLISH = /^(?:english|in english|english please|speak english|tiếng anh|tieng anh)[\s!.]*$/iu;
const ASKS_VIETNAMESE = /^(?:tiếng việt|tieng viet|vietnamese|nói tiếng việt|noi tieng viet)[\s!.]*$/iu;

function askedLocale(text: string): Locale | null {
  const value = /^lang:(vi|en)$/.exec(text.trim());
  if (value) return value[1] as Locale;
  if (ASKS_ENGLISH.test(text.trim())) return 'en';
  if (ASKS_VIETNAMESE.test(text.trim())) return 'vi';
  return null;
}

/** What a tapped button sends back (`menu:report`, `feedback:solved:HCM-26-…`), never typed by people. */
const BUTTON_VALUE = /^[a-z_]+:[\w:-]+$/;

/** A person who writes a sentence in the other language is answered in it from then on. */
async function followLanguage(ctx: FlowContext): Promise<void> {
  const language = ctx.understanding?.entities.language;
  if (!language || language === ctx.locale) return;
  // A word or two ("ok", "hi", "cám ơn") says too little about the language a person reads, and
  // a tapped button's value ("menu:my_requests") or a tracking code says nothing.
  if ((ctx.text.match(/\p{L}+/gu) ?? []).length < 3 || BUTTON_VALUE.test(ctx.text.trim()) || findTrackingCode(ctx.text)) return;
  await ctx.setLocale(language);
}

// ---- Requests -------------------------------------------------------------------------------

function statusLines(ctx: FlowContext, view: TicketView): string[] {
  const code = view.ticket.trackingCode;
  const status = ctx.t(`status.${view.ticket.status}`);
  const agencyPart = view.agencyName ? ctx.t('ticket.status_agency', { agency: view.agencyName }) : '';
  const lines = [ctx.t('ticket.status', { code, status, agencyPart })];
  if (view.answer) lines.push(ctx.t('ticket.status_answer', { answer: view.answer }));
  return lines;
}

function statusReply(ctx: FlowContext, code: string, view: TicketView | null): Reply[] {
  if (!view) return [reply(ctx, 'ticket.status_unknown', { code })];
  return [{ text: [...statusLines(ctx, view), ctx.trackingUrl(code)].join('\n'), key: 'ticket.status', ticketId: view.ticket.id }];
}

async function lookUp(ctx: FlowContext, code: string): Promise<StepResult> {
  return stay(ctx, statusReply(ctx, code, await ctx.findTicket(code)));
}

/** Every open request, with its deadline; the latest closed one when none is open. */
async function myRequests(ctx: FlowContext): Promise<StepResult> {
  const open = await ctx.openTickets();
  if (open.length === 0) {
    const latest = await ctx.latestTicket();
    return stay(ctx, latest ? statusReply(ctx, latest.ticket.trackingCode, latest) : [reply(ctx, 'ticket.status_none')]);
  }
  const lines = [ctx.t('requests.header', { count: open.length })];
  for (const view of open) {
    lines.push(`• ${statusLines(ctx, view).join(' ')} ${ctx.t('requests.due', { dueBy: ctx.formatTime(view.ticket.dueAt) })}`);
    lines.push(`  ${ctx.trackingUrl(view.ticket.trackingCode)}`);
  }
  return stay(ctx, [{ text: lines.join('\n'), key: 'requests.header' }]);
}

const confidently = (ctx: FlowContext, intent: string) =>
  ctx.understanding?.confident === true && ctx.understanding.intent === intent && !ctx.understanding.urgent;

/** A confident classification about another subject, or a new danger, is a new request, not a follow-up. */
function isNewProblem(ctx: FlowContext, open: TicketView): boolean {
  const u = ctx.understanding;
  if (!u?.confident) return false;
  if (u.urgent && open.ticket.priority !== 'urgent') return true;
  // A press request or a question is never a detail of someone's report.
  if ((u.intent === 'press' || u.intent === 'question') && u.intent !== open.ticket.intent) return true;
  return u.topic !== 'general' && open.ticket.topic !== null && u.topic !== open.ticket.topic;
}

async function openNew(ctx: FlowContext, draft?: TicketDraft): Promise<StepResult> {
  const view = await ctx.openTicket(draft);
  const { ticket } = view;
  const next =
    ticket.status === 'triage'
      ? ctx.t('ticket.next_triage', { acceptBy: ctx.formatTime(ticket.acceptDueAt) })
      : ctx.t('ticket.next_assigned', { agency: view.agencyName, dueBy: ctx.formatTime(ticket.dueAt) });
  const opened = ctx.t('ticket.opened', { code: ticket.trackingCode, next, url: ctx.trackingUrl(ticket.trackingCode) });
  // Danger to life: the emergency numbers come first, before anything about the ticket.
  const lines = ticket.priority === 'urgent' ? [ctx.t('ticket.urgent'), opened] : [opened];
  return {
    replies: [{ text: lines.join('\n'), key: ticket.priority === 'urgent' ? 'ticket.urgent' : 'ticket.opened', ticketId: ticket.id }],
    next: 'ticket_open',
    state: { ticketId: ticket.id },
  };
}

function smallTalk(ctx: FlowContext): StepResult {
  return stay(ctx, [menu(ctx, 'other.reply')]);
}

/**
 * A sticker, or something the platform could not pass on, says nothing a ticket could hold: ask for
 * words instead. A photo, file or location alone is content (a photo of a flooded street is a
 * report), so it opens or joins a ticket, and the reply asks for a few words about it.
 */
const saysNothing = (ctx: FlowContext) =>
  ctx.text.trim() === '' && ctx.attachments.every((a) => a.type === 'sticker' || (a.type === 'file' && !a.url));
const mediaOnly = (ctx: FlowContext) => ctx.text.trim() === '' && ctx.attachments.length > 0;

function askForWords(ctx: FlowContext): StepResult {
  return stay(ctx, [reply(ctx, 'media.say_more')]);
}

// ---- Interrupts: the same at every step ----------------------------------------------------------

async function interrupt(ctx: FlowContext): Promise<StepResult | null> {
  const text = ctx.text.trim();
  const locale = askedLocale(text);
  if (locale) {
    await ctx.setLocale(locale);
    return stay(ctx, [menu(ctx, 'language.switched')]);
  }
  if (isStartCommand(text) || GREETING.test(text)) return stay(ctx, [menu(ctx)]);
  const choice = /^menu:([a-z_]+)$/.exec(text);
  if (choice && (MENU as readonly string[]).includes(choice[1]!)) return menuChoice(ctx, choice[1] as MenuChoice);
  if (saysNothing(ctx)) return askForWords(ctx);
  const code = findTrackingCode(text);
  if (code) return lookUp(ctx, code);
  if (confidently(ctx, 'status')) return myRequests(ctx);
  if (confidently(ctx, 'other')) return smallTalk(ctx);
  return null;
}

// ---- Steps ------------------------------------------------------------------------------------

/**
 * Words that place a report even without a full address ("hẻm 9", "gần chợ", "trước trường"). The
 * diacritic-free forms are only those that mean nothing else ("cho" is also "for", "pho" "phở").
 */
const PLACE_WORDS =
  /(?<![\p{L}\p{N}])(?:hẻm|ngõ|ngách|kiệt|số nhà|phường|quận|huyện|xã|thôn|ấp|chợ|cầu|công viên|trường|bệnh viện|chung cư|khu phố|ngã tư|ngã ba|gần|trước|đối diện|hem \d|ngo \d|phuong|nga tu|nga ba|chung cu|khu pho|gan nha|truoc nha|street|road|alley|ward|district|near|in front of|opposite)(?![\p{L}])/iu;
/** "đường Lê Lợi", "phố Huế", "đường số 7" — but not "đèn đường" (a street light): a name or number must follow. */
const STREET = /(?<![\p{L}])(?:[Đđ]ường|[Pp]hố|duong|pho)\s+(?:số\s+|so\s+)?(?:\p{Lu}|\d)/u;

/** A report says where, when it names an address, a ward or a place, or comes with a shared location. */
const saysWhere = (ctx: FlowContext) =>
  (ctx.understanding?.entities.addresses.length ?? 0) > 0 ||
  (ctx.understanding?.entities.wards.length ?? 0) > 0 ||
  PLACE_WORDS.test(ctx.text) ||
  STREET.test(ctx.text) ||
  ctx.attachments.some((a) => a.type === 'location');

/** A report the bot is sure about, with no place in it and no danger: worth one question before filing. */
const needsPlace = (ctx: FlowContext) =>
  confidently(ctx, 'feedback') && !saysWhere(ctx) && ctx.text.trim().length > 0;

async function start(ctx: FlowContext): Promise<StepResult> {
  await followLanguage(ctx);
  const tapped = await feedbackTap(ctx);
  if (tapped) return tapped;
  const interrupted = await interrupt(ctx);
  if (interrupted) return interrupted;
  if (mediaOnly(ctx)) {
    const opened = await openNew(ctx);
    return { ...opened, replies: [...opened.replies, reply(ctx, 'media.describe', undefined, { ticketId: opened.replies[0]?.ticketId })] };
  }
  if (needsPlace(ctx)) {
    const u = ctx.understanding!;
    return {
      replies: [reply(ctx, 'report.ask_place', undefined, { buttons: [{ label: ctx.t('report.skip_place'), value: 'report:no_place' }] })],
      next: 'report_place',
      state: { ...ctx.state, draft: { text: ctx.text, messageId: ctx.messageId, intent: u.intent, topic: u.topic, confidence: u.confidence } },
    };
  }
  return openNew(ctx);
}

interface PlaceDraft {
  text: string;
  messageId: string;
  intent: string;
  topic: string;
  confidence: number;
}

const NO_PLACE = /^(?:report:no_place|bỏ qua|bo qua|không rõ|khong ro|không biết|khong biet|ko biet|skip|not sure|don'?t know)[\s!.]*$/iu;

/** The report's place: the next words (or a shared location) complete it, and the ticket is filed. */
async function reportPlace(ctx: FlowContext): Promise<StepResult> {
  const draft = ctx.state.draft as PlaceDraft | undefined;
  const interrupted = await interrupt(ctx);
  if (interrupted) return { ...interrupted, next: draft ? 'report_place' : interrupted.next };
  if (!draft) return start(ctx);
  const rest = { ...ctx.state };
  delete rest.draft;
  const place = NO_PLACE.test(ctx.text.trim()) ? '' : ctx.text.trim();
  const located = ctx.attachments.find((a) => a.type === 'location');
  const where = place || (located ? `${located.latitude}, ${located.longitude}` : '');
  const summary = where ? `${draft.text} — ${ctx.t('report.place_label')}: ${where}` : draft.text;
  const opened = await openNew(
    { ...ctx, state: rest },
    { summary, messageIds: [draft.messageId], understanding: { intent: draft.intent, topic: draft.topic, confidence: draft.confidence } },
  );
  return opened;
}

const UNSOLVED = /(?:^feedback:unsolved:)|(?:vẫn chưa|van chua|chưa được|chua duoc|chưa sửa|chua sua|chưa xử lý|chua xu ly|không giải quyết|khong giai quyet|chưa giải quyết|chua giai quyet|vẫn còn|van con|vẫn bị|van bi|not solved|not fixed|still (?:not|broken|there|the same))/iu;
const SOLVED = /(?:^feedback:solved:)|^(?:đã giải quyết|da giai quyet|đã sửa rồi|da sua roi|ok rồi|ok roi|cảm ơn|cam on|thanks?|thank you|solved)[\s!.,]*(?:ạ|a|nhé|nhe|nhiều|nhieu|a lot)?[\s!.]*$/iu;

/** The person's verdict on an answered request; null when the message gives none. */
async function verdict(ctx: FlowContext, answered: TicketView): Promise<StepResult | null> {
  const ticketId = answered.ticket.id;
  if (UNSOLVED.test(ctx.text)) {
    const { view, toOperators } = await ctx.reopenTicket(ticketId);
    const key = toOperators ? 'feedback.reopened_to_operators' : 'feedback.reopened';
    return { replies: [reply(ctx, key, { code: view.ticket.trackingCode }, { ticketId })], next: 'ticket_open', state: { ticketId } };
  }
  if (SOLVED.test(ctx.text.trim())) {
    await ctx.closeSolved(ticketId);
    return { replies: [reply(ctx, 'feedback.thanks', { code: answered.ticket.trackingCode })], next: 'start', state: {} };
  }
  return null;
}

/** A tap on "solved" / "not solved" under an answer, whichever request the conversation is on now. */
async function feedbackTap(ctx: FlowContext): Promise<StepResult | null> {
  const tap = /^feedback:(?:solved|unsolved):(\S+)$/.exec(ctx.text.trim());
  if (!tap) return null;
  const found = await ctx.findTicket(tap[1]!);
  const answered = found && (await ctx.answeredTicket(found.ticket.id));
  // Tapped twice, or on an old answer: say where the request stands instead.
  if (!answered) return lookUp(ctx, tap[1]!);
  return verdict(ctx, answered);
}

async function ticketOpen(ctx: FlowContext): Promise<StepResult> {
  await followLanguage(ctx);
  const tapped = await feedbackTap(ctx);
  if (tapped) return tapped;
  const ticketId = typeof ctx.state.ticketId === 'string' ? ctx.state.ticketId : null;
  if (!ticketId) return start(ctx);
  // After the agency's answer, words like "vẫn chưa được sửa" are about that answer.
  const answered = await ctx.answeredTicket(ticketId);
  if (answered) {
    const judged = await verdict(ctx, answered);
    if (judged) return judged;
  }
  const interrupted = await interrupt(ctx);
  if (interrupted) return interrupted;
  const open = answered ? null : await ctx.openTicketById(ticketId);
  if (!open || isNewProblem(ctx, open)) return start({ ...ctx, state: {} });
  const view = (await ctx.addToTicket(ticketId))!;
  return { replies: [reply(ctx, 'ticket.appended', { code: view.ticket.trackingCode }, { ticketId })], next: 'ticket_open', state: ctx.state };
}

export const intakeFlow: Flow = {
  id: 'intake',
  initial: 'start',
  steps: { start, ticket_open: ticketOpen, report_place: reportPlace } satisfies Record<IntakeStep, Flow['steps'][string]>,
};
