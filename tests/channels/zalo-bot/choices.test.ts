// Choices on a platform without keyboards: a flow's buttons go out as a numbered list, and the
// person's "2" (or the label typed out) reaches the flow as that button's value.
import type { Flow } from '../../../flows/types';
import { eventually, startTestHotline, type TestHotline } from '../../helpers/hotline';
import { newChatId, postZaloBotWebhook, startFakeZaloBot, zaloUpdate, type FakeZaloBot } from '../../helpers/fake-zalo-bot';

const SECRET = 'zalo-bot-webhook-secret';

const menuFlow: Flow = {
  id: 'intake',
  initial: 'start',
  steps: {
    start: async () => ({
      replies: [{ text: 'Bạn cần gì?', buttons: [{ label: 'Tra cứu hồ sơ', value: 'status' }, { label: 'Gửi phản ánh', value: 'report' }] }],
      next: 'chosen',
    }),
    chosen: async (ctx) => ({ replies: [{ text: `Đã chọn: ${ctx.text}` }], next: 'start' }),
  },
};

describe('Zalo Bot choices', () => {
  let t: TestHotline;
  let zalo: FakeZaloBot;
  beforeAll(async () => {
    zalo = await startFakeZaloBot();
    t = await startTestHotline({
      env: { ZALO_BOT_TOKEN: zalo.token, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_BASE: zalo.apiBase },
      flows: { intake: menuFlow },
    });
  });
  afterAll(async () => {
    await t.stop();
    await zalo.close();
  });

  async function say(chat: string, text: string, answers: number): Promise<string> {
    expect((await postZaloBotWebhook(t.baseUrl, zaloUpdate.text(chat, text), SECRET)).status).toBe(200);
    return eventually(async () => zalo.textsTo(chat)[answers - 1]);
  }

  it('sends the choices as a numbered list and reads a number back as the value', async () => {
    const chat = newChatId();
    expect(await say(chat, 'Xin chào', 1)).toBe('Bạn cần gì?\n\n1. Tra cứu hồ sơ\n2. Gửi phản ánh');
    expect(await say(chat, ' 2. ', 2)).toBe('Đã chọn: report');
  });

  it('reads the label typed out (any case) as the value, and leaves other text alone', async () => {
    const chat = newChatId();
    await say(chat, 'Xin chào', 1);
    expect(await say(chat, 'tra cứu hồ sơ', 2)).toBe('Đã chọn: status');
    await say(chat, 'Lại menu', 3);
    expect(await say(chat, '7', 4)).toBe('Đã chọn: 7');
  });
});
