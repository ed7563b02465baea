// Intake: what a 1022 operator does with a message. The interrupts come first, at every step: /start
// or a greeting (the menu), cancel, "talk to a person", a language switch, a tracking code, "where
// are my requests?". Then, by step: a confident report, question or online-service problem goes
// through its form (flows/report.ts, flows/question.ts, flows/online.ts); anything unsure becomes a
// ticket a human sees. While a request is open, a message joins it when it is about it, starts a new
// one when it plainly is not, and the bot asks when it cannot tell. After the agency's answer, the
// person says whether it solved the problem ("not solved" reopens it).
import { continueForm, currentQuestion, formProgress, isTap, startForm, withoutForm, wordCount } from '../src/conversation/form';
import type { Locale } from '../src/i18n';
import { findTrackingCode } from '../src/tickets/tracking-code';
import { draftFrom, openNew, pendingFrom, reply, resting, stay, statusLines, type IntakeStep, type PendingRequest } from './common';
import { onlineForm } from './online';
import { ASKS_PROFILE_UPDATE, pressProfileForm, pressRequestForm } from './press';
import { commentStatus, draftCommentForm, isDraftCommentCode, isPublicRecordCommand, publicRecordInterrupt } from './public-record';
import { askQuestion, questionAnswered } from './question';
import { contactForm, placeIn, reportForm } from './report';
import type { Flow, FlowContext, FlowState, Form, Reply, StepResult, TicketView } from './types';

export type { IntakeStep } from './common';

/** The forms of this flow, by id (a form in progress names its id in the conversation's state). */
export const FORMS: Record<string, Form> = { [reportForm.id]: reportForm, [onlineForm.id]: onlineForm, [contactForm.id]: contactForm, [pressRequestForm.id]: pressRequestForm,
  [draftCommentForm.id]: draftCommentForm,
  [pressProfileForm.id]: pressProfileForm,
};

// ---- The menu -------------------------------------------------------------------------------

const MENU = ['report', 'question', 'online', 'my_requests', 'press', 'person', 'language'] as const;
type MenuChoice = (typeof MENU)[number];

function menu(ctx: FlowContext, key = 'menu.greeting'): Reply {
  return reply(ctx, key, undefined, { buttons: MENU.map((choice) => ({ label: ctx.t(`menu.${choice}`), value: `menu:${choice}` })) });
}

/** Chat platforms (Telegram) send "/start" when a person opens the bot; people write hello. */
const isStartCommand = (text: string) => /^\/start\b/i.test(text.trim());
const GREETING = /^(?:xin chào|xin chao|chào|chao|alo|hello|hi|hey|good (?:morning|afternoon|evening)|menu)(?:\s+(?:bạn|ban|ad|admin|em|anh|chị|chi|ạ|a|nhé|nhe|there|everyone))*[\s!.,?]*$/iu;
const CANCEL = /^(?:form:cancel|hủy|huỷ|huy|hủy bỏ|huy bo|thôi khỏi|thoi khoi|bỏ đi|bo di|cancel|stop|never mind|nevermind)[\s!.]*(?:ạ|a|nhé|nhe)?[\s!.]*$/iu;
const HANDOFF = /^(?:menu:person)$|(?:gặp người trực|gap nguoi truc|gặp nhân viên|gap nhan vien|gặp tổng đài viên|gap tong dai vien|gặp người thật|gap nguoi that|nói chuyện với người|noi chuyen voi nguoi|cho (?:tôi|toi|em|mình|minh) gặp (?:người|nguoi|nhân viên|nhan vien)|talk to (?:a |an )?(?:person|human|operator|agent|someone)|speak (?:to|with) (?:a |an )?(?:person|human|operator|agent|someone)|real person|human please)/iu;

/** Drops a form or a pending request: the person went another way. */
const fresh = (ctx: FlowContext): FlowState => {
  const { pending: _p, pendingFor: _f, shown: _s, expect: _e, ...rest } = withoutForm(ctx.state);
  return rest;
};

async function menuChoice(ctx: FlowContext, choice: MenuChoice): Promise<StepResult> {
  const state = fresh(ctx);
  const here = { ...ctx, state };
  switch (choice) {
    case 'my_requests':
      return myRequests(here);
    case 'person':
      return handOff(here);
    case 'report':
      return startForm(here, reportForm, 'form');
    case 'online':
      return startForm(here, onlineForm, 'form');
    case 'question':
      // The next message is a question, whatever the classifier makes of it.
      return { replies: [reply(ctx, 'menu.prompt_question')], next: resting(here), state: { ...state, expect: 'question' } };
    case 'language':
      return stay(here, [
        reply(ctx, 'language.choose', undefined, {
          buttons: [
            { label: 'Tiếng Việt', value: 'lang:vi' },
            { label: 'English', value: 'lang:en' },
          ],
        }),
      ]);
    case 'press':
      return pressRequest(here);
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

/** A person who writes a sentence in the other language is answered in it from then on. */
async function followLanguage(ctx: FlowContext): Promise<void> {
  const language = ctx.understanding?.entities.language;
  if (!language || language === ctx.locale) return;
  // Three words or fewer ("ok", "cám ơn", "by tomorrow 5pm") say too little about the language a person reads, and
  // a tapped button's value ("menu:my_requests") or a tracking code says nothing.
  if (wordCount(ctx.text) < 4 || isTap(ctx) || findTrackingCode(ctx.text) || isPublicRecordCommand(ctx.text)) return;
  await ctx.setLocale(language);
}

// ---- Requests -------------------------------------------------------------------------------

function statusReply(ctx: FlowContext, code: string, view: TicketView | null): Reply[] {
  if (!view) return [reply(ctx, 'ticket.status_unknown', { code })];
  return [{ text: [...statusLines(ctx, view), ctx.trackingUrl(code)].join('\n'), key: 'ticket.status', ticketId: view.ticket.id }];
}

async function lookUp(ctx: FlowContext, code: string): Promise<StepResult> {
  return stay(ctx, statusReply(ctx, code, await ctx.findTicket(code)));
}

/** Every open request, with its agency and deadline; the latest closed one when none is open. */
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

const STILL_TELLING_MS = 5 * 60_000;

/** Plainly about the open request: the same subject, a photo of it, its place, a phone number. */
function isAboutIt(ctx: FlowContext, open: TicketView): boolean {
  const u = ctx.understanding;
  if (mediaOnly(ctx)) return true;
  if (u?.confident && u.topic !== 'general' && u.topic === open.ticket.topic) return true;
  const words = wordCount(ctx.text);
  if (words <= 10 && placeIn(ctx) !== null) return true;
  // A request nobody could classify yet, opened moments ago: the person is still telling it, line by line.
  if (!u?.confident && open.ticket.status === 'triage' && Date.now() - open.ticket.createdAt.getTime() < STILL_TELLING_MS) return true;
  return (u?.entities.phones.length ?? 0) > 0 && words <= 6;
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

/** A reporter's information request; a reporter the press center knows is not asked who they are again. */
async function pressRequest(ctx: FlowContext): Promise<StepResult> {
  const u = ctx.understanding;
  const profile = await ctx.publicRecord.pressProfile();
  return startForm(ctx, pressRequestForm, 'form', {
    understanding: u && u.intent === 'press' ? { topic: u.topic, confidence: u.confidence } : null,
    ...(profile ? { profile } : {}),
  });
}

// ---- Hand-off -------------------------------------------------------------------------------

async function handOff(ctx: FlowContext): Promise<StepResult> {
  const view = await ctx.handOff();
  const { ticketId: _t, ...rest } = fresh(ctx);
  return {
    replies: [reply(ctx, 'handoff.started', { code: view.ticket.trackingCode }, { ticketId: view.ticket.id })],
    next: 'with_person',
    state: { ...rest, handoffTicketId: view.ticket.id },
  };
}

/** A person handles the conversation: the bot keeps quiet and files what is said with the hand-off ticket. */
async function withPerson(ctx: FlowContext): Promise<StepResult> {
  const ticketId = ctx.state.handoffTicketId as string | undefined;
  const { handoffTicketId: _h, ...rest } = ctx.state;
  const open = ticketId ? await ctx.addToTicket(ticketId) : null;
  if (open) return { replies: [], next: 'with_person', state: ctx.state };
  // The operators answered or closed it: the bot is back, and the answer can be judged like any other.
  return ticketOpen({ ...ctx, state: ticketId ? { ...rest, ticketId } : rest });
}

// ---- Interrupts: the same at every step ----------------------------------------------------------

/**
 * What the person may say at any step. In a form only what plainly is not an answer interrupts
 * (a short "ok" or "không" is an answer there, however the classifier reads it).
 */
async function interrupt(ctx: FlowContext, inForm: boolean): Promise<StepResult | null> {
  const text = ctx.text.trim();
  const locale = askedLocale(text);
  if (locale) {
    await ctx.setLocale(locale);
    return stay(ctx, [menu(ctx, 'language.switched')]);
  }
  if (isStartCommand(text) || GREETING.test(text)) return { replies: [menu(ctx)], next: resting({ ...ctx, state: fresh(ctx) }), state: fresh(ctx) };
  if (CANCEL.test(text)) {
    const state = fresh(ctx);
    return { replies: [menu(ctx, inForm || ctx.state.pending ? 'form.cancelled' : 'menu.greeting')], next: resting({ ...ctx, state }), state };
  }
  if (HANDOFF.test(text)) return handOff(ctx);
  if (ASKS_PROFILE_UPDATE.test(text)) return startForm({ ...ctx, state: fresh(ctx) }, pressProfileForm, 'form');
  const publicRecord = await publicRecordInterrupt(ctx, (draftId) => startForm({ ...ctx, state: fresh(ctx) }, draftCommentForm, 'form', { draftId }), inForm);
  if (publicRecord) return publicRecord;
  const choice = /^menu:([a-z_]+)$/.exec(text);
  if (choice && (MENU as readonly string[]).includes(choice[1]!)) return menuChoice(ctx, choice[1] as MenuChoice);
  const rating = /^rate:([1-5]):(\S+)$/.exec(text);
  if (rating) return rate(ctx, Number(rating[1]), rating[2]!);
  if (saysNothing(ctx)) return stay(ctx, [reply(ctx, 'media.say_more')]);
  const code = findTrackingCode(text);
  if (code) return isDraftCommentCode(code) ? commentStatus(ctx, code) : lookUp(ctx, code);
  if (confidently(ctx, 'status') && (!inForm || /\p{L}+\s+\p{L}+\s+\p{L}+/u.test(text))) return myRequests(ctx);
  // A bare phone number reads as small talk to the classifier; it is a detail of the request.
  if (!inForm && confidently(ctx, 'other') && ctx.understanding!.entities.phones.length === 0) return smallTalk(ctx);
  return null;
}

async function rate(ctx: FlowContext, score: number, code: string): Promise<StepResult> {
  const view = await ctx.findTicket(code);
  const rated = view && (await ctx.rateTicket(view.ticket.id, score));
  return stay(ctx, [reply(ctx, rated ? 'feedback.rated' : 'ticket.status_unknown', { code })]);
}

// ---- Steps ------------------------------------------------------------------------------------

async function start(ctx: FlowContext): Promise<StepResult> {
  await followLanguage(ctx);
  const tapped = await feedbackTap(ctx);
  if (tapped) return tapped;
  const interrupted = await interrupt(ctx, false);
  if (interrupted) return interrupted;
  const { expect, ...state } = ctx.state;
  const here = { ...ctx, state };
  if (mediaOnly(here)) {
    const opened = await openNew(here, undefined, [], placeIn(here));
    return { ...opened, replies: [...opened.replies, reply(ctx, 'media.describe', undefined, { ticketId: opened.replies[0]?.ticketId })] };
  }
  // Danger to life: filed at once, the emergency numbers first; no questions asked.
  if (ctx.understanding?.urgent) return openNew(here, undefined, [], placeIn(here));
  if (expect === 'question' || confidently(ctx, 'question')) return askQuestion(here);
  if (confidently(ctx, 'feedback')) return startForm(here, reportForm, 'form');
  if (confidently(ctx, 'press')) return pressRequest(here);
  if (confidently(ctx, 'service_support')) {
    const u = ctx.understanding!;
    return startForm(here, onlineForm, 'form', { understanding: { topic: u.topic, confidence: u.confidence } });
  }
  return openNew(here, undefined, [], placeIn(here));
}

/** The person's answer to the form's question, or an interrupt (after which the question is asked again). */
async function formStep(ctx: FlowContext): Promise<StepResult> {
  const progress = formProgress(ctx.state);
  const form = progress && FORMS[progress.id];
  if (!progress || !form) return start({ ...ctx, state: withoutForm(ctx.state) });
  await followLanguage(ctx);
  const tapped = await feedbackTap(ctx);
  const interrupted = tapped ?? (await interrupt(ctx, true));
  if (interrupted) {
    // The form goes on unchanged (a status look-up, a language switch): its question is asked again.
    const unchanged = interrupted.next === 'form' && interrupted.state !== undefined && formProgress(interrupted.state) === progress;
    return unchanged ? { ...interrupted, replies: [...interrupted.replies, currentQuestion(ctx, form, progress)] } : interrupted;
  }
  return continueForm(ctx, form, progress, 'form');
}

const UNSOLVED = /(?:^feedback:unsolved:)|(?:vẫn chưa|van chua|chưa được|chua duoc|chưa sửa|chua sua|chưa xử lý|chua xu ly|không giải quyết|khong giai quyet|chưa giải quyết|chua giai quyet|vẫn còn|van con|vẫn bị|van bi|not solved|not fixed|still (?:not|broken|there|the same))/iu;
const SOLVED = /(?:^feedback:solved:)|^(?:đã giải quyết|da giai quyet|đã sửa rồi|da sua roi|ok rồi|ok roi|cảm ơn|cam on|thanks?|thank you|solved)[\s!.,]*(?:ạ|a|nhé|nhe|nhiều|nhieu|a lot)?[\s!.]*$/iu;

/** The person's verdict on an answered request; null when the message gives none. */
async function verdict(ctx: FlowContext, answered: TicketView): Promise<StepResult | null> {
  const ticketId = answered.ticket.id;
  const code = answered.ticket.trackingCode;
  if (UNSOLVED.test(ctx.text)) {
    const { view, toOperators } = await ctx.reopenTicket(ticketId);
    const key = toOperators ? 'feedback.reopened_to_operators' : 'feedback.reopened';
    return { replies: [reply(ctx, key, { code: view.ticket.trackingCode }, { ticketId })], next: 'ticket_open', state: { ticketId } };
  }
  if (SOLVED.test(ctx.text.trim())) {
    await ctx.closeSolved(ticketId);
    const stars = [1, 2, 3, 4, 5].map((n) => ({ label: '★'.repeat(n), value: `rate:${n}:${code}` }));
    return { replies: [reply(ctx, 'feedback.thanks', { code }, { buttons: stars })], next: 'start', state: {} };
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
  const interrupted = await interrupt(ctx, false);
  if (interrupted) return interrupted;
  const open = answered ? null : await ctx.openTicketById(ticketId);
  if (!open || isNewProblem(ctx, open) || ctx.state.expect) return start({ ...ctx, state: { expect: ctx.state.expect } });
  if (isAboutIt(ctx, open)) {
    const view = (await ctx.addToTicket(ticketId, { place: placeIn(ctx) }))!;
    const appended = reply(ctx, 'ticket.appended', { code: view.ticket.trackingCode }, { ticketId });
    // A phone number given now is kept only with the person's consent: asked like in the report.
    if ((ctx.understanding?.entities.phones.length ?? 0) > 0 && ctx.consentedPhone === null) {
      const asking = await startForm(ctx, contactForm, 'form');
      return { ...asking, replies: [appended, ...asking.replies] };
    }
    return { replies: [appended], next: 'ticket_open', state: ctx.state };
  }
  // Cannot tell: the person decides, with one tap.
  const code = open.ticket.trackingCode;
  return {
    replies: [
      reply(ctx, 'followup.ask', { code }, {
        buttons: [
          { label: ctx.t('followup.add', { code }), value: `followup:add:${code}` },
          { label: ctx.t('followup.new'), value: 'followup:new' },
        ],
      }),
    ],
    next: 'followup',
    state: { ...ctx.state, pending: pendingFrom(ctx), pendingFor: ticketId },
  };
}

const ADD = /^(?:followup:add:\S+|bổ sung|bo sung|thêm vào|them vao|cùng yêu cầu|cung yeu cau|add(?: it)?(?: to it)?|same request)[\s!.]*$/iu;
const NEW = /^(?:followup:new|yêu cầu mới|yeu cau moi|mới|moi|tạo mới|tao moi|new|new request|a new one)[\s!.]*$/iu;

/** The person says whether the message the bot could not place belongs to the open request. */
async function followup(ctx: FlowContext): Promise<StepResult> {
  const pending = ctx.state.pending as PendingRequest | undefined;
  const ticketId = ctx.state.pendingFor as string | undefined;
  const { pending: _p, pendingFor: _f, ...rest } = ctx.state;
  const here = { ...ctx, state: rest };
  if (!pending || !ticketId) return ticketOpen(here);
  const text = ctx.text.trim();
  if (!ADD.test(text) && !NEW.test(text)) {
    const interrupted = await interrupt(ctx, true);
    if (interrupted) return interrupted;
  }
  if (ADD.test(text)) {
    const open = await ctx.openTicketById(ticketId);
    if (open) {
      await ctx.attachMessages(ticketId, pending.messageIds);
      return { replies: [reply(ctx, 'ticket.appended', { code: open.ticket.trackingCode }, { ticketId })], next: 'ticket_open', state: rest };
    }
  }
  if (ADD.test(text) || NEW.test(text)) return openNew(here, draftFrom(pending));
  // Neither: the earlier message joins nothing yet, and this one is read on its own.
  return ticketOpen(here);
}

export const intakeFlow: Flow = {
  id: 'intake',
  initial: 'start',
  steps: {
    start,
    ticket_open: ticketOpen,
    form: formStep,
    question_answered: (ctx) => questionAnswered(ctx, ticketOpen),
    followup,
    with_person: withPerson,
  } satisfies Record<IntakeStep, Flow['steps'][string]>,
};
