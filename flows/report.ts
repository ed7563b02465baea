// Report (phản ánh): what happened, where, photos if any, a phone number only with the person's
// explicit consent, a summary to confirm, then the ticket. What the first message already says
// (the place, a photo, a phone number) fills its slot and is shown in the summary, not asked again.
import type { Attachment } from '../src/channels/types';
import { isTap, wordCount } from '../src/conversation/form';
import { openNew, NO, YES } from './common';
import type { FlowContext, Form, Place, Slot, SlotAnswer, SlotValues, StepResult } from './types';

/**
 * Words that place a report even without a full address ("hẻm 9", "gần chợ", "trước trường"). The
 * diacritic-free forms are only those that mean nothing else ("cho" is also "for", "pho" "phở").
 */
const PLACE_WORDS =
  /(?<![\p{L}\p{N}])(?:hẻm|ngõ|ngách|kiệt|số nhà|phường|quận|huyện|xã|thôn|ấp|chợ|cầu|công viên|trường|bệnh viện|chung cư|khu phố|ngã tư|ngã ba|gần|trước|đối diện|hem \d|ngo \d|phuong|nga tu|nga ba|chung cu|khu pho|gan nha|truoc nha|street|road|alley|ward|district|near|in front of|opposite)(?![\p{L}])/iu;
/** "đường Lê Lợi", "phố Huế", "đường số 7" — but not "đèn đường" (a street light): a name or number must follow. */
const STREET = /(?<![\p{L}])(?:[Đđ]ường|[Pp]hố|duong|pho)\s+(?:số\s+|so\s+)?(?:\p{Lu}|\d)/u;

const location = (attachments: Attachment[]) => attachments.find((a) => a.type === 'location' && a.latitude !== undefined);

/** Where the message says it happened, if it does: an address, a ward, a place word, a shared location. */
export function placeIn(ctx: FlowContext): Place | null {
  const shared = location(ctx.attachments);
  const coordinates = shared ? { latitude: shared.latitude, longitude: shared.longitude } : {};
  const entities = ctx.understanding?.entities;
  const named = entities?.addresses[0] ?? entities?.wards[0];
  if (named) return { text: named, ...coordinates };
  const match = PLACE_WORDS.exec(ctx.text) ?? STREET.exec(ctx.text);
  // From the place word to the end of its sentence: "gần chợ Bến Thành".
  if (match) return { text: ctx.text.slice(match.index).split(/[.!?\n;]/)[0]!.trim().slice(0, 120), ...coordinates };
  return shared ? coordinates : null;
}

const NO_PLACE = /^(?:report:no_place|bỏ qua|bo qua|không rõ|khong ro|không biết|khong biet|ko biet|k biet|skip|not sure|don'?t know|unknown)[\s!.]*$/iu;
const NO_PHOTO = /^(?:report:no_photo|không có|khong co|ko co|không có ảnh|khong co anh|không|khong|ko|bỏ qua|bo qua|skip|no|no photo|none)[\s!.]*(?:ạ|a)?[\s!.]*$/iu;
const SKIP_PHONE = /^(?:report:no_phone|bỏ qua|bo qua|thôi|thoi|không|khong|ko|skip|no)[\s!.]*$/iu;
/** Vietnamese mobile and landline numbers, with or without +84 and separators. */
const PHONE = /(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)/;

const images = (ctx: FlowContext) => ctx.attachments.filter((a) => a.type === 'image').length;
const words = wordCount;

export interface Photos {
  count: number;
  /** Words sent instead of a photo: more about what happened. */
  note?: string;
}

export interface Consent {
  granted: boolean;
  messageId: string;
  at: string;
}

/** What happened, with what the classifier made of it (which routes the ticket). */
interface What {
  text: string;
  understanding: { intent: string; topic: string; confidence: number } | null;
  area?: string;
}

function whatOf(ctx: FlowContext): What {
  const u = ctx.understanding;
  // Asked "what happened?", the person describes a problem: a report, whatever the wording.
  const area = u?.entities.wards[0];
  return { text: ctx.text.trim(), understanding: u && { intent: 'feedback', topic: u.topic, confidence: u.confidence }, ...(area ? { area } : {}) };
}

const what: Slot = {
  name: 'what',
  prompt: 'report.ask_what',
  prefill: (ctx) => (words(ctx.text) >= 2 && !isTap(ctx) ? whatOf(ctx) : undefined),
  parse: (ctx): SlotAnswer => (words(ctx.text) >= 2 ? { value: whatOf(ctx) } : { invalid: 'report.what_invalid' }),
};

const where: Slot = {
  name: 'where',
  prompt: 'report.ask_place',
  choices: [{ label: 'report.skip_place', value: 'report:no_place' }],
  prefill: (ctx) => placeIn(ctx) ?? undefined,
  parse(ctx): SlotAnswer {
    const text = ctx.text.trim();
    const shared = location(ctx.attachments);
    if (shared) return { value: { latitude: shared.latitude, longitude: shared.longitude, ...(text ? { text } : {}) } };
    if (NO_PLACE.test(text)) return { value: null };
    return words(text) >= 1 || /\d/.test(text) ? { value: { text: text.slice(0, 300) } } : { invalid: 'report.place_invalid' };
  },
};

const photos: Slot = {
  name: 'photos',
  prompt: 'report.ask_photo',
  choices: [{ label: 'report.no_photo', value: 'report:no_photo' }],
  prefill: (ctx) => (images(ctx) > 0 ? ({ count: images(ctx) } satisfies Photos) : undefined),
  parse(ctx): SlotAnswer {
    if (images(ctx) > 0) return { value: { count: images(ctx) } satisfies Photos };
    const text = ctx.text.trim();
    if (NO_PHOTO.test(text)) return { value: { count: 0 } satisfies Photos };
    // Free words are more about the problem; a file that is not a photo is not what was asked.
    if (words(text) >= 2) return { value: { count: 0, note: text } satisfies Photos };
    return { invalid: 'report.photo_invalid' };
  },
};

export const consent: Slot = {
  name: 'consent',
  prompt: 'report.ask_consent',
  choices: [
    { label: 'report.consent_yes', value: 'consent:yes' },
    { label: 'report.consent_no', value: 'consent:no' },
  ],
  // Asked once: a person who already let the hotline keep a number is not asked again.
  when: (_values, ctx) => ctx.consentedPhone === null,
  parse(ctx): SlotAnswer {
    const text = ctx.text.trim();
    const at = new Date().toISOString();
    if (text === 'consent:yes' || YES.test(text)) return { value: { granted: true, messageId: ctx.messageId, at } satisfies Consent };
    if (text === 'consent:no' || NO.test(text)) return { value: { granted: false, messageId: ctx.messageId, at } satisfies Consent };
    return { invalid: 'report.consent_invalid' };
  },
};

export const phone: Slot = {
  name: 'phone',
  prompt: 'report.ask_phone',
  choices: [{ label: 'report.skip_phone', value: 'report:no_phone' }],
  when: (values, ctx) => ctx.consentedPhone === null && (values.consent as Consent | undefined)?.granted === true,
  prefill: (ctx) => ctx.understanding?.entities.phones[0],
  parse(ctx): SlotAnswer {
    const shared = ctx.attachments.find((a) => a.type === 'contact' && a.phone);
    const found = shared?.phone ?? PHONE.exec(ctx.text)?.[0];
    if (found) return { value: found.replace(/[\s.-]/g, '') };
    if (SKIP_PHONE.test(ctx.text.trim())) return { value: null };
    return { invalid: 'report.phone_invalid' };
  },
};

function placeText(ctx: FlowContext, place: Place | null | undefined): string {
  if (!place) return ctx.t('report.place_unknown');
  const coordinates = place.latitude !== undefined ? `${place.latitude}, ${place.longitude}` : '';
  return [place.text, coordinates && ctx.t('report.place_shared', { coordinates })].filter(Boolean).join(' ');
}

/** The phone the ticket may use: the one already consented to, or the one given with consent now. */
function contactPhone(ctx: FlowContext, values: SlotValues): string | null {
  if (ctx.consentedPhone) return ctx.consentedPhone;
  return (values.consent as Consent | undefined)?.granted ? ((values.phone as string | null | undefined) ?? null) : null;
}

async function fileReport(ctx: FlowContext, values: SlotValues, messageIds: string[]): Promise<StepResult> {
  const given = values.consent as Consent | undefined;
  const keep = contactPhone(ctx, values);
  if (given) {
    await ctx.recordConsent(
      { purpose: 'phone_contact', granted: given.granted, textKey: 'report.ask_consent', messageId: given.messageId, at: new Date(given.at) },
      given.granted ? keep : null,
    );
  }
  const place = values.where as Place | null;
  const note = (values.photos as Photos | undefined)?.note;
  const told = values.what as What;
  const summary = [
    told.text,
    place ? `${ctx.t('report.place_label')}: ${placeText(ctx, place)}` : '',
    note ?? '',
  ].filter(Boolean).join(' — ');
  return openNew(ctx, { summary, messageIds, understanding: told.understanding, area: told.area, place });
}

export const reportForm: Form = {
  id: 'report',
  slots: [what, where, photos, consent, phone],
  confirm: {
    prompt: 'report.confirm',
    vars: (ctx, values) => ({
      what: (values.what as What).text,
      place: placeText(ctx, values.where as Place | null),
      photos: (values.photos as Photos | undefined)?.count ?? 0,
      phone: contactPhone(ctx, values) ?? ctx.t('report.no_phone'),
    }),
    change: ['what', 'where', 'phone'],
  },
  complete: fileReport,
};

/**
 * A phone number sent while a request is open: kept only if the person agrees, with the same
 * question and record as in the report form.
 */
export const contactForm: Form = {
  id: 'contact',
  slots: [consent, phone],
  async complete(ctx, values) {
    const given = values.consent as Consent;
    const keep = contactPhone(ctx, values);
    await ctx.recordConsent(
      { purpose: 'phone_contact', granted: given.granted, textKey: 'report.ask_consent', messageId: given.messageId, at: new Date(given.at) },
      given.granted ? keep : null,
    );
    const key = given.granted && keep ? 'report.phone_saved' : 'report.phone_not_saved';
    return { replies: [{ text: ctx.t(key, { phone: keep ?? '' }), key }], next: typeof ctx.state.ticketId === 'string' ? 'ticket_open' : 'start', state: ctx.state };
  },
};
