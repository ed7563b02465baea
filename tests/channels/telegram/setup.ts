// A whole hotline with the Telegram channel on, talking to a fake Bot API, for the end-to-end tests.
import type { Logger } from 'pino';
import { intakeFlow } from '../../../flows/intake';
import type { Flow } from '../../../flows/types';
import { FakeTelegram, textUpdate } from '../../helpers/fake-telegram';
import { api, eventually, staffLogin, startTestHotline, type TestHotline } from '../../helpers/hotline';

export const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
export const SECRET = 'telegram-secret-for-the-conversation-tests';
export const LONG_CHOICE = 'Phường Bến Nghé, Quận 1 — khu phố 3, tổ dân phố số 12, hẻm 45 Nguyễn Trãi';

/** Intake, plus a menu with choices (one too long for callback_data) to test keyboards and taps. */
const withMenu: Flow = {
  ...intakeFlow,
  steps: {
    ...intakeFlow.steps,
    start: async (ctx) =>
      ctx.text === 'menu'
        ? {
            replies: [{ text: 'Bạn muốn làm gì?', buttons: [{ label: 'Phản ánh', value: 'report' }, { label: 'Địa chỉ', value: LONG_CHOICE }] }],
            next: 'choosing',
          }
        : intakeFlow.steps.start!(ctx),
    choosing: async (ctx) => ({ replies: [{ text: `Đã chọn: ${ctx.text}` }], next: 'start' }),
  },
};

export interface TelegramHotline {
  fake: FakeTelegram;
  t: TestHotline;
  post(body: object | string): Promise<Response>;
  /** The person writes; returns once the webhook acknowledged it. */
  write(chatId: number | string, text: string): Promise<void>;
  nextUpdateId(): number;
  textsTo(chat: string): string[];
  waitForText(chat: string, match: (text: string) => boolean): Promise<FakeTelegram['calls'][number]>;
  /** Operator assigns the ticket to the power company; resolves once the person was told so. */
  assign(code: string): Promise<void>;
  /** The power company's staff answer the (assigned) ticket. */
  reply(code: string, text: string): Promise<void>;
  /** Operator assigns the ticket to the power company, whose staff answer it. */
  answer(code: string, text: string): Promise<void>;
  /** The person writes; returns the tracking code the bot answered with. */
  openTicket(chat: string, text: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startTelegramHotline(opts: { logger?: Logger } = {}): Promise<TelegramHotline> {
  const fake = await FakeTelegram.start();
  const t = await startTestHotline({
    logger: opts.logger,
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_BASE: fake.url,
      QUEUE_MAX_ATTEMPTS: '3',
      MAX_MESSAGE_CHARS: '20000',
    },
    flows: { intake: withMenu },
  });
  let updateId = 1000;
  const post = (body: object | string) =>
    fetch(`${t.baseUrl}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const waitForText = (chat: string, match: (text: string) => boolean) =>
    eventually(async () => fake.sent(chat).find((c) => match(String(c.body.text ?? ''))));
  const h: TelegramHotline = {
    fake,
    t,
    post,
    nextUpdateId: () => ++updateId,
    async write(chatId, text) {
      const res = await post(textUpdate(++updateId, chatId, ++updateId, text));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    },
    textsTo: (chat) => fake.sent(chat).map((c) => String(c.body.text ?? '')),
    waitForText,
    async assign(code) {
      const operator = await staffLogin(t, 'operator@hotline.local');
      const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
      const power = agencies.body.find((a) => a.slug === 'dien-luc')!;
      const assigned = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Điện' });
      if (assigned.status !== 200) throw new Error(`assign: ${assigned.status}`);
      // The person is told where the ticket went (the ticket's latest bot message): once that is
      // delivered, what a test sends or fails next is the answer.
      await eventually(async () => {
        const told = await t.hotline.db.prisma.message.findFirst({ where: { ticket: { trackingCode: code }, author: 'bot' }, orderBy: { seq: 'desc' } });
        return told?.delivery === 'sent';
      });
    },
    async reply(code, text) {
      const staff = await staffLogin(t, 'dien-luc@hotline.local');
      const replied = await api(t, staff, 'POST', `/tickets/${code}/replies`, { text });
      if (replied.status !== 201) throw new Error(`reply: ${replied.status} ${JSON.stringify(replied.body)}`);
    },
    async answer(code, text) {
      await h.assign(code);
      await h.reply(code, text);
    },
    async openTicket(chat, text) {
      await h.write(chat, text);
      const opened = await waitForText(chat, (x) => CODE.test(x));
      return CODE.exec(String(opened.body.text))![1]!;
    },
    async stop() {
      await t.stop();
      await fake.stop();
    },
  };
  return h;
}
