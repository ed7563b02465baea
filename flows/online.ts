// Help with online public services (the 1022 "branch 7" work): which service or portal, the
// dossier code if there is one, what goes wrong. Known fixes from the knowledge base come first;
// otherwise a ticket flagged online-support goes to the topic's agency.
import { isTap, wordCount } from '../src/conversation/form';
import { openNew } from './common';
import { offerAnswers } from './question';
import type { FlowContext, Form, Slot, SlotAnswer, SlotValues, StepResult } from './types';

export const SERVICES = ['vneid', 'national_portal', 'city_portal', 'other'] as const;
export const PROBLEMS = ['login', 'upload', 'payment', 'status', 'error'] as const;

const SERVICE_WORDS: Array<[(typeof SERVICES)[number], RegExp]> = [
  ['vneid', /vneid|định danh điện tử|dinh danh dien tu|tài khoản định danh|tai khoan dinh danh/iu],
  ['national_portal', /dichvucong\.gov\.vn|dịch vụ công quốc gia|dich vu cong quoc gia|dvc quốc gia|dvc quoc gia|national (?:public service )?portal/iu],
  ['city_portal', /dichvucong\.(?:hanoi|hochiminhcity)|dịch vụ công (?:thành phố|hà nội|tp)|dich vu cong (?:thanh pho|ha noi|tp)|city portal/iu],
];

/** A dossier code as the portals print them ("000.00.07.H29-241203-0012", "G22.99-...", "H29.230-...") */
const DOSSIER = /(?<![\w.])(?:\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{3,5}|[A-Z]\d{2}[.\-][\w.\-]{6,40})(?![\w])/u;
const NO_DOSSIER = /^(?:online:no_dossier|không có|khong co|ko co|không|khong|ko|chưa có|chua co|không nhớ|khong nho|none|no|don'?t have|i don'?t have one)[\s!.]*(?:ạ|a)?[\s!.]*$/iu;
const words = wordCount;

const service: Slot = {
  name: 'service',
  prompt: 'online.ask_service',
  choices: SERVICES.map((id) => ({ label: `online.service_${id}`, value: `online:${id}` })),
  prefill: (ctx) => SERVICE_WORDS.find(([, words]) => words.test(ctx.text))?.[0],
  parse(ctx): SlotAnswer {
    const text = ctx.text.trim();
    const tapped = /^online:([a-z_]+)$/.exec(text)?.[1];
    if (tapped && (SERVICES as readonly string[]).includes(tapped)) return { value: tapped };
    const named = SERVICE_WORDS.find(([, w]) => w.test(text))?.[0];
    if (named) return { value: named };
    return words(text) >= 1 ? { value: text.slice(0, 200) } : { invalid: 'online.service_invalid' };
  },
};

const dossier: Slot = {
  name: 'dossier',
  prompt: 'online.ask_dossier',
  choices: [{ label: 'online.no_dossier', value: 'online:no_dossier' }],
  prefill: (ctx) => DOSSIER.exec(ctx.text)?.[0],
  parse(ctx): SlotAnswer {
    const text = ctx.text.trim();
    if (NO_DOSSIER.test(text)) return { value: null };
    const code = DOSSIER.exec(text)?.[0] ?? /(?<![\w])[A-Za-z0-9][A-Za-z0-9.\-/]{5,60}(?![\w])/.exec(text)?.[0];
    return code && /\d/.test(code) ? { value: code } : { invalid: 'online.dossier_invalid' };
  },
};

const problem: Slot = {
  name: 'problem',
  prompt: 'online.ask_problem',
  choices: PROBLEMS.map((id) => ({ label: `online.problem_${id}`, value: `online:problem_${id}` })),
  // The message that started the form usually says what goes wrong ("không đăng nhập được VNeID").
  prefill: (ctx) => (words(ctx.text) >= 3 && !isTap(ctx) ? ctx.text.trim() : undefined),
  parse(ctx): SlotAnswer {
    const text = ctx.text.trim();
    const tapped = /^online:problem_([a-z]+)$/.exec(text)?.[1];
    if (tapped && (PROBLEMS as readonly string[]).includes(tapped)) return { value: ctx.t(`online.problem_${tapped}`) };
    return words(text) >= 1 ? { value: text.slice(0, 500) } : { invalid: 'online.problem_invalid' };
  },
};

function serviceName(ctx: FlowContext, value: unknown): string {
  return typeof value === 'string' && (SERVICES as readonly string[]).includes(value) ? ctx.t(`online.service_${value}`) : String(value ?? '');
}

async function fileOnlineSupport(ctx: FlowContext, values: SlotValues, messageIds: string[]): Promise<StepResult> {
  const what = String(values.problem);
  const summary = [
    ctx.t('online.summary_label'),
    `${ctx.t('online.service_label')}: ${serviceName(ctx, values.service)}`,
    values.dossier ? `${ctx.t('online.dossier_label')}: ${String(values.dossier)}` : '',
    what,
  ].filter(Boolean).join(' — ');
  // Routed by what the first message was understood as (the taps after it say nothing of the topic).
  const first = values.understanding as { topic: string; confidence: number } | null | undefined;
  const understanding = { intent: 'service_support', topic: first?.topic ?? 'digital_services', confidence: first?.confidence ?? 1 };
  const pending = { text: summary, messageIds, understanding, onlineSupport: true };
  // A known fix answers at once; "it did not help" files the ticket with everything asked.
  const fixes = ctx.searchKnowledge(`${what} ${serviceName(ctx, values.service)}`, { onlineFix: true, limit: 3 });
  if (fixes.length > 0) return offerAnswers(ctx, fixes, pending, 'online.known_fix');
  return openNew(ctx, { summary, messageIds, understanding, onlineSupport: true });
}

export const onlineForm: Form = {
  id: 'online',
  slots: [service, dossier, problem],
  complete: fileOnlineSupport,
};
