// The press center's public record in the conversation: the press-conference calendar (register,
// cancel), announcements by topic (subscribe; "hủy nhận tin" stops them all), and comments on
// drafts open for consultation (góp ý dự thảo), each acknowledged with a code. Texts are in the
// `press` locale namespace, shared with the reminders and announcements the person receives.
import { wordCount } from '../src/conversation/form';
import { DRAFT_COMMENT_PREFIX } from '../src/press/drafts';
import { NO, reply, stay, YES } from './common';
import type { FlowContext, Form, Reply, SlotAnswer, StepResult } from './types';

const TOPICS = ['press_releases', 'spokesperson', 'conference_schedule', 'service_outages'] as const;

export const ASKS_EVENTS = /^(?:public:events|lịch họp báo|lich hop bao|họp báo sắp tới|hop bao sap toi|khi nào có họp báo|khi nao co hop bao|press conferences?|press briefings?|upcoming press conferences?)[\s?!.]*$/iu;
/**
 * "Khi nào có họp báo tiếp theo vậy ad?", "when is the next press conference?": a short question
 * about the calendar. A request ("xin số liệu công bố tại họp báo sắp tới") is a press request.
 */
const EVENT_WORDS = '(?:họp báo|hop bao|press conferences?|press briefings?)';
const ABOUT_WHEN = '(?:khi nào|khi nao|bao giờ|bao gio|lúc nào|luc nao|ngày nào|ngay nao|mấy giờ|may gio|ở đâu|o dau|tiếp theo|tiep theo|sắp tới|sap toi|lịch|lich|when|next|upcoming|schedule)';
const ASKS_WHEN_EVENTS = new RegExp(
  `^(?!.*(?:xin|cung cấp|cung cap|đề nghị|de nghi|phỏng vấn|phong van|số liệu|so lieu|request|interview|figures|data))(?=.*${EVENT_WORDS}).*${ABOUT_WHEN}.*$`,
  'iu',
);
/** In a form only the plain command: a reporter's question about a conference is an answer there. */
const asksEvents = (text: string, inForm: boolean) => ASKS_EVENTS.test(text) || (!inForm && wordCount(text) <= 12 && ASKS_WHEN_EVENTS.test(text));

export const ASKS_SUBSCRIBE = /^(?:public:subscribe|đăng ký nhận tin|dang ky nhan tin|nhận thông báo|nhan thong bao|subscribe|get announcements)[\s!.]*$/iu;
export const ASKS_UNSUBSCRIBE = /^(?:public:unsubscribe|hủy nhận tin|huy nhan tin|ngừng nhận tin|ngung nhan tin|không nhận tin nữa|khong nhan tin nua|unsubscribe)[\s!.]*$/iu;
export const ASKS_DRAFTS = /^(?:public:drafts|góp ý dự thảo|gop y du thao|dự thảo lấy ý kiến|du thao lay y kien|comment on (?:a )?draft|draft consultations?)[\s!.]*$/iu;

/** A command of the public record ("comment on a draft", "lịch họp báo"): it names a service, not the language the person reads. */
export const isPublicRecordCommand = (text: string) => [ASKS_EVENTS, ASKS_SUBSCRIBE, ASKS_UNSUBSCRIBE, ASKS_DRAFTS].some((r) => r.test(text.trim()));

async function events(ctx: FlowContext): Promise<StepResult> {
  const upcoming = await ctx.publicRecord.upcomingEvents();
  if (upcoming.length === 0) return stay(ctx, [reply(ctx, 'public.no_events')]);
  const lines = [ctx.t('public.events_header')];
  for (const e of upcoming) lines.push(`• ${e.title} — ${ctx.formatTime(e.startsAt)} — ${e.place}`);
  const buttons = upcoming
    .filter((e) => e.open)
    .map((e) => ({ label: ctx.t('public.register_button', { title: e.title.slice(0, 40) }), value: `event:register:${e.id}` }));
  return stay(ctx, [{ text: lines.join('\n'), key: 'public.events_header', buttons }]);
}

/** The refusals the person is told in so many words; the rest (an unknown id) read as "closed". */
const TOLD = new Set(['event_full', 'event_closed', 'already_registered', 'draft_closed']);
const refusedReply = (ctx: FlowContext, code: string): Reply =>
  reply(ctx, `press:${TOLD.has(code) ? code : code.startsWith('draft') ? 'draft_closed' : 'event_closed'}`);

async function registerFor(ctx: FlowContext, eventId: string): Promise<StepResult> {
  const done = await ctx.publicRecord.register(eventId);
  if ('refused' in done) return stay(ctx, [refusedReply(ctx, done.refused)]);
  return stay(ctx, [
    reply(ctx, 'press:registered', { title: done.title, startsAt: ctx.formatTime(done.startsAt), place: done.place }, {
      buttons: [{ label: ctx.t('public.cancel_button'), value: `event:cancel:${done.id}` }],
    }),
  ]);
}

async function cancelFor(ctx: FlowContext, eventId: string): Promise<StepResult> {
  const done = await ctx.publicRecord.cancelRegistration(eventId);
  if ('refused' in done) return stay(ctx, [reply(ctx, 'public.not_registered')]);
  return stay(ctx, [reply(ctx, 'press:registration_cancelled', { title: done.title })]);
}

function subscriptions(ctx: FlowContext): StepResult {
  return stay(ctx, [
    reply(ctx, 'public.choose_topic', undefined, {
      buttons: TOPICS.map((topic) => ({ label: ctx.t(`press:topic.${topic}`), value: `subscribe:${topic}` })),
    }),
  ]);
}

async function drafts(ctx: FlowContext): Promise<StepResult> {
  const open = await ctx.publicRecord.openDrafts();
  if (open.length === 0) return stay(ctx, [reply(ctx, 'public.no_drafts')]);
  const lines = [ctx.t('public.drafts_header')];
  for (const d of open) lines.push(`• ${d.title} (${d.agencyName}) — ${ctx.t('public.closes', { date: ctx.formatTime(d.closesAt) })}\n  ${d.url}`);
  return stay(ctx, [
    { text: lines.join('\n'), key: 'public.drafts_header', buttons: open.map((d) => ({ label: d.title.slice(0, 60), value: `draft:comment:${d.id}` })) },
  ]);
}

/** "Điều 5: …", "article 12 …": the article a comment is about. */
const ARTICLE = /^(?:điều|dieu|khoản|khoan|article|art\.)\s*(\d{1,3}[a-zđ]?)\b/iu;

/** A comment on one draft: its text (the article, if named, is read from it), then a code. */
export const draftCommentForm: Form = {
  id: 'draft_comment',
  slots: [
    {
      name: 'comment',
      prompt: 'public.ask_comment',
      parse: (ctx): SlotAnswer => (wordCount(ctx.text) >= 3 ? { value: ctx.text.trim() } : { invalid: 'public.comment_invalid' }),
    },
  ],
  async complete(ctx, values) {
    const text = String(values.comment);
    const article = ARTICLE.exec(text)?.[0] ?? null;
    const done = await ctx.publicRecord.comment(String(values.draftId), text, article);
    if ('refused' in done) return { replies: [refusedReply(ctx, done.refused)], next: 'start', state: ctx.state };
    return {
      replies: [reply(ctx, 'press:comment_received', { title: done.draft.title, code: done.code, agency: done.draft.agencyName })],
      next: typeof ctx.state.ticketId === 'string' ? 'ticket_open' : 'start',
      state: ctx.state,
    };
  },
};

/** A draft comment's code ("GY-26-7K3QD"), not a ticket's. */
export const isDraftCommentCode = (code: string) => code.startsWith(`${DRAFT_COMMENT_PREFIX}-`);

/** "Where is my comment GY-…?": its draft, the agency, when it came and where the consultation stands. */
export async function commentStatus(ctx: FlowContext, code: string): Promise<StepResult> {
  const found = await ctx.publicRecord.draftComment(code);
  if (!found) return stay(ctx, [reply(ctx, 'press:comment_unknown', { code })]);
  return stay(ctx, [
    reply(ctx, found.open ? 'press:comment_status_open' : 'press:comment_status_closed', {
      code: found.code,
      title: found.draft.title,
      agency: found.draft.agencyName,
      receivedAt: ctx.formatTime(found.receivedAt),
      closesAt: ctx.formatTime(found.draft.closesAt),
    }),
  ]);
}

// Typed answers to "may your question be published?", teencode and no diacritics included.
const PUBLISH_YES = /^(?:(?:đồng ý|dong y|cho|ok|oke|okie|oki) ?(?:đăng|dang)(?: đi| di| luôn| luon)?|(?:đăng|dang) (?:đi|di|luôn|luon)|oki|okie|uk|uhm|um|yup|dc luôn|dc luon|đc luôn)[\s!.,]*(?:ạ|a|nhé|nhe)?[\s!.]*$/iu;
const PUBLISH_NO = /^(?:kg|kh|hok|hk|khum|hem|(?:không|khong|ko|k|đừng|dung|hong|hông) ?(?:đăng|dang)(?: đâu| dau)?|(?:không|khong|ko|k) (?:đồng ý|dong y|muốn|muon))[\s!.,]*(?:ạ|a|nhé|nhe|cảm ơn|cam on)?[\s!.]*$/iu;

/**
 * The person's answer to the publication question: a tap on its buttons at any time, or a typed
 * yes/no while the question is the bot's latest message (a "có" later answers something else).
 */
async function publishConsentAnswer(ctx: FlowContext, text: string, inForm: boolean): Promise<StepResult | null> {
  const tap = /^publish:(yes|no):(\S+)$/.exec(text);
  let code = tap?.[2] ?? null;
  let granted = tap?.[1] === 'yes';
  if (!tap) {
    if (inForm || typeof ctx.state.publishConsent !== 'object') return null;
    const yes = YES.test(text) || PUBLISH_YES.test(text);
    if (!yes && !NO.test(text) && !PUBLISH_NO.test(text)) return null;
    code = await ctx.publicRecord.pendingPublishConsent();
    if (!code) return null;
    granted = yes;
  }
  const recorded = await ctx.publicRecord.answerPublishConsent(code!, granted);
  const { publishConsent: _asked, ...state } = ctx.state;
  const here = { ...ctx, state };
  if (!recorded) return stay(here, [reply(ctx, 'press:publish_consent.unknown')]);
  return stay(here, [reply(ctx, granted ? 'press:publish_consent.granted' : 'press:publish_consent.refused', { code })]);
}

/**
 * The public record's words and taps, at any step; null when the message is about something
 * else. `startComment` starts the comment form on the chosen draft.
 */
export async function publicRecordInterrupt(
  ctx: FlowContext,
  startComment: (draftId: string) => Promise<StepResult>,
  inForm = false,
): Promise<StepResult | null> {
  const text = ctx.text.trim();
  const consent = await publishConsentAnswer(ctx, text, inForm);
  if (consent) return consent;
  if (asksEvents(text, inForm)) return events(ctx);
  if (ASKS_UNSUBSCRIBE.test(text)) {
    await ctx.publicRecord.unsubscribe();
    return stay(ctx, [reply(ctx, 'press:unsubscribed')]);
  }
  if (ASKS_SUBSCRIBE.test(text)) return subscriptions(ctx);
  if (ASKS_DRAFTS.test(text)) return drafts(ctx);
  const tap = /^(event:register|event:cancel|subscribe|draft:comment):([\w-]+)$/.exec(text);
  if (!tap) return null;
  const [, kind, id] = tap as unknown as [string, string, string];
  if (kind === 'event:register') return registerFor(ctx, id);
  if (kind === 'event:cancel') return cancelFor(ctx, id);
  if (kind === 'draft:comment') return startComment(id);
  const done = await ctx.publicRecord.subscribe(id);
  return stay(ctx, [done ? reply(ctx, 'press:subscribed', { topic: ctx.t(`press:topic.${id}`) }) : subscriptions(ctx).replies[0]!]);
}
