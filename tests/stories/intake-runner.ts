// Runs the stories of intake.stories.ts through a real channel, web chat (a socket, as the widget)
// or Telegram (webhook updates in, a fake Bot API out), with the real classifier. A reply "is" a
// locale key when every fixed part of that key's text appears in it. One test file per channel
// (intake.webchat.test.ts, intake.telegram.test.ts), so jest's workers run them side by side.
import { createBuiltinClassifier } from '../../src/classify/builtin';
import type { Classifier } from '../../src/classify/types';
import { readNamespace, type Locale } from '../../src/i18n';
import { freshDatabase, type TestDatabase } from '../helpers/databases';
import { FakeTelegram, textUpdate } from '../helpers/fake-telegram';
import { api, ChatClient, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';
import { STORIES, type Story } from './intake.stories';

const SECRET = 'telegram-secret-for-the-stories';

/** The fixed parts of a key's text (between its {{placeholders}}), long enough to mean something. */
function fixedParts(locale: Locale, key: string): string[] {
  // "press:registered" is key `registered` of locales/<locale>/press.json; a plain key is in bot.json.
  const [namespace, path] = key.includes(':') ? key.split(':') as [string, string] : ['bot', key];
  let node: unknown = readNamespace(locale, namespace);
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'string') throw new Error(`story expects ${key}, which is not a key of locales/${locale}/bot.json`);
  return node.split(/\{\{\w+\}\}/).map((s) => s.trim()).filter((s) => s.length >= 6);
}

/** One person talking to the hotline on one channel. */
interface Person {
  /** Sends a line; resolves with the first reply to it. */
  say(text: string): Promise<string>;
  /** Waits for the next message staff caused: the agency's answer, or the bot telling of a change. */
  awaitAnswer(from: 'agent' | 'bot'): Promise<string>;
  channelUserId: string;
  close(): Promise<void>;
}

export interface Driver {
  name: string;
  start(database: TestDatabase): Promise<TestHotline>;
  person(t: () => TestHotline, locale: Locale, n: number): Promise<Person>;
  stop(): Promise<void>;
}

export const webchat: Driver = {
  name: 'web chat',
  start: (database) => startTestHotline({ database, classifier, env: { LIMIT_WEBCHAT_MESSAGES_PER_TOKEN: '1000' } }),
  async person(t, locale) {
    const { sessionId, token } = await newSession(t(), locale);
    let chat = await ChatClient.connect(t(), token);
    let n = 0;
    let lastSeq = 0;
    const next = async (match: (f: Record<string, unknown>) => boolean) => {
      const frame = await chat.waitFor((f) => f.type === 'message' && Number(f.seq) > lastSeq && match(f));
      lastSeq = Number(frame.seq);
      return String(frame.text);
    };
    return {
      channelUserId: sessionId,
      async say(text) {
        // After a restart the socket is gone: the widget reconnects, asking for what it missed.
        if (chat.closeCode !== null) chat = await ChatClient.connect(t(), token, lastSeq);
        lastSeq = await chat.sendMessage(`m${++n}`, text);
        return next((f) => f.from === 'bot');
      },
      awaitAnswer: (from) => next((f) => f.from === from),
      close: () => chat.close(),
    };
  },
  async stop() {},
};

let fake: FakeTelegram;
export const telegram: Driver = {
  name: 'Telegram',
  async start(database) {
    fake ??= await FakeTelegram.start();
    return startTestHotline({
      database,
      classifier,
      env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: fake.url, TELEGRAM_CHAT_INTERVAL_MS: '0', LIMIT_CHANNEL_MESSAGES_PER_SENDER: '1000' },
    });
  },
  async person(t, locale, n) {
    const chatId = String(880_000_000 + n);
    let updateId = n * 1000;
    let seen = 0;
    const nextText = async () => {
      const call = await eventually(async () => fake.sent(chatId)[seen]);
      seen += 1;
      return String(call.body.text ?? call.body.caption ?? '');
    };
    return {
      channelUserId: chatId,
      async say(text) {
        seen = fake.sent(chatId).length;
        const update = textUpdate(++updateId, chatId, ++updateId, text, { from: { id: Number(chatId), is_bot: false, first_name: 'Lan', language_code: locale } });
        const res = await fetch(`${t().baseUrl}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(update),
        });
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
        const first = await nextText();
        // A line may get more than one reply (an answer, then the form's question again): all are
        // sent before the next line, as a person reading them would see them.
        const db = t().hotline.db.prisma;
        await eventually(async () =>
          (await db.message.count({ where: { direction: 'outbound', delivery: 'pending', conversation: { contact: { channelUserId: chatId } } } })) === 0,
        );
        seen = fake.sent(chatId).length;
        return first;
      },
      async awaitAnswer() {
        return nextText();
      },
      close: async () => undefined,
    };
  },
  async stop() {
    await fake?.stop();
  },
};

let classifier: Classifier;

/** Every story, one test each, through `driver`'s channel on one hotline. */
export function runStories(driver: Driver): void {
  describe(`stories through ${driver.name}`, () => {
    let database: TestDatabase;
    let t: TestHotline;
    let operator: string;
    beforeAll(async () => {
      classifier ??= await createBuiltinClassifier();
      database = await freshDatabase();
      t = await driver.start(database);
      operator = await staffLogin(t, 'operator@hotline.local');
    });
    afterAll(async () => {
      await t.stop();
      await driver.stop();
    });

    const ticketsOf = (channelUserId: string) =>
      t.hotline.db.prisma.ticket.findMany({
        where: { contact: { channelUserId } },
        orderBy: { createdAt: 'asc' },
        include: { messages: { where: { direction: 'inbound' } }, agency: true },
      });

    /** `{event}` and `{draft}` in a line: the next press conference and the first open draft (demo data). */
    const withIds = async (text: string) => {
      const prisma = t.hotline.db.prisma;
      if (text.includes('{event}')) {
        const event = await prisma.pressEvent.findFirstOrThrow({ where: { cancelledAt: null, startsAt: { gt: new Date() } }, orderBy: { startsAt: 'asc' } });
        text = text.replace('{event}', event.id);
      }
      if (text.includes('{draft}')) {
        const draft = await prisma.draftDocument.findFirstOrThrow({ where: { closesAt: { gt: new Date() } }, orderBy: { closesAt: 'asc' } });
        text = text.replace('{draft}', draft.id);
      }
      return text;
    };

    STORIES.forEach((story: Story, i) => {
      it(story.name, async () => {
        let locale: Locale = story.locale;
        const person = await driver.person(() => t, locale, i + 1);
        for (const line of story.lines) {
          if ('restart' in line) {
            await t.stop({ keepDatabase: true });
            t = await driver.start(database);
            operator = await staffLogin(t, 'operator@hotline.local');
            continue;
          }
          if ('away' in line) {
            const later = new Date(Date.now() + line.away * 60_000);
            const { closed } = await t.hotline.closeAbandoned(later);
            const conversation = await t.hotline.db.prisma.conversation.findFirstOrThrow({ where: { contact: { channelUserId: person.channelUserId } } });
            expect(closed.includes(conversation.id)).toBe(line.expect !== undefined);
            if (line.expect) {
              const told = await person.awaitAnswer('bot');
              for (const part of fixedParts(locale, line.expect)) expect(told).toContain(part);
            }
            continue;
          }
          if ('staff' in line) {
            const latest = (await ticketsOf(person.channelUserId)).at(-1)!;
            if (line.staff === 'answer') {
              const res = await api(t, operator, 'POST', `/tickets/${latest.trackingCode}/replies`, { text: line.text });
              expect(res.status).toBe(201);
              expect(await person.awaitAnswer('agent')).toContain(line.text);
            } else {
              const res = await api(t, operator, 'POST', `/tickets/${latest.trackingCode}/status`, { status: 'rejected', reason: line.reason });
              expect(res.status).toBe(200);
              const told = await person.awaitAnswer('bot');
              expect(told).toContain(line.reason);
              expect(told).toContain(latest.trackingCode);
            }
            continue;
          }
          locale = line.locale ?? locale;
          const code = (await ticketsOf(person.channelUserId)).at(-1)?.trackingCode ?? 'HCM-26-NONE0';
          const reply = await person.say(await withIds(line.person.replace('{code}', code)));
          const context = `${story.name}: "${line.person}" should get ${line.expect} (${locale}), got:\n${reply}`;
          for (const part of fixedParts(locale, line.expect)) expect({ context, has: reply.includes(part) }).toEqual({ context, has: true });
          for (const part of line.contains ?? []) expect(reply).toContain(part);
        }
        if (story.tickets) {
          const tickets = await ticketsOf(person.channelUserId);
          expect(tickets).toHaveLength(story.tickets.length);
          story.tickets.forEach((want, k) => {
            const ticket = tickets[k]!;
            if (want.status) expect(ticket.status).toBe(want.status);
            if (want.priority) expect(ticket.priority).toBe(want.priority);
            for (const part of want.summaryContains ?? []) expect(ticket.summary).toContain(part);
            if (want.messages !== undefined) expect(ticket.messages).toHaveLength(want.messages);
            if (want.onlineSupport !== undefined) expect(ticket.onlineSupport).toBe(want.onlineSupport);
            if (want.place !== undefined) expect(ticket.place).toContain(want.place);
            if (want.triage !== undefined) expect(ticket.agency?.isTriage).toBe(want.triage);
            if (want.agency !== undefined) expect(ticket.agency?.slug).toBe(want.agency);
          });
        }
        if (story.contact) {
          const contact = await t.hotline.db.prisma.contact.findFirstOrThrow({
            where: { channelUserId: person.channelUserId },
            include: { consents: { orderBy: { createdAt: 'asc' } } },
          });
          expect(contact.phone).toBe(story.contact.phone);
          expect(contact.phoneConsent).toBe(story.contact.phone !== null);
          expect(contact.consents.map((c) => c.granted)).toEqual(story.contact.consents);
          // What the person was shown is kept with the answer.
          for (const consent of contact.consents) expect(consent.text.length).toBeGreaterThan(50);
        }
        await person.close();
      });
    });
  });
}
