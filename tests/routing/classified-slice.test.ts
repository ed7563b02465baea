// Classification drives the slice: confident labels route by the rules in the database, unsure
// ones go to triage, urgent words raise the priority, small talk and status questions open no ticket.
// A stub classifier keeps these tests about routing, not about the model (its entities are the
// real extractor's, so a report that names its place is filed at once).
import { extractEntities } from '../../src/classify/entities';
import type { ClassificationResult, Classifier } from '../../src/classify/types';
import type { Intent, Topic } from '../../src/classify/taxonomy';
import { ChatClient, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

const LABELS: Array<[RegExp, Intent, Topic, number, string[]]> = [
  [/đèn đường/i, 'feedback', 'urban_infrastructure', 0.92, []],
  [/vẫn tối om/, 'feedback', 'urban_infrastructure', 0.8, []],
  [/lấn chiếm/, 'feedback', 'urban_order', 0.88, ['Bến Thành']],
  [/phóng viên/i, 'press', 'health', 0.9, []],
  [/mơ hồ/, 'feedback', 'environment', 0.3, []],
  [/cháy/i, 'feedback', 'public_security', 0.8, []],
  [/xin chào|cảm ơn/, 'other', 'general', 0.97, []],
  [/tới đâu rồi/, 'status', 'general', 0.9, []],
  [/VNeID/, 'service_support', 'residence_identity', 0.85, []],
];

const stub: Classifier = {
  async classify(text): Promise<ClassificationResult> {
    const hit = LABELS.find(([re]) => re.test(text));
    const [, intent, topic, confidence, wards] = hit ?? [null, 'other', 'general', 0.1, []];
    return {
      intent,
      topic,
      confidence,
      intentConfidence: confidence,
      topicConfidence: confidence,
      entities: { ...extractEntities(text), ...(wards.length ? { wards } : {}), language: 'vi' },
      source: 'builtin',
    };
  },
};

describe('classified routing in the slice', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ classifier: stub });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function say(text: string, chat?: ChatClient): Promise<{ chat: ChatClient; reply: string }> {
    const c = chat ?? (await ChatClient.connect(t, (await newSession(t)).token));
    const reply = await c.sendAndFile(`m${Math.random()}`, text);
    return { chat: c, reply: String(reply.text) };
  }
  const ticketOf = (reply: string) =>
    t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: CODE.exec(reply)![1]! }, include: { agency: true } });

  it('routes a confident classification by the routing rules and says where it went', async () => {
    const { chat, reply } = await say('Đèn đường trước số 12 Lê Lợi bị hỏng');
    const ticket = await ticketOf(reply);
    expect(ticket).toMatchObject({ status: 'assigned', intent: 'feedback', topic: 'urban_infrastructure', priority: 'normal', confidence: 0.92 });
    expect(ticket.agency?.slug).toBe('so-xay-dung');
    expect(ticket.routingReason).toMatch(/^Quy tắc "Chủ đề urban_infrastructure"/);
    expect(reply).toContain('Yêu cầu đã được chuyển đến Sở Xây dựng');
    await chat.close();
  });

  it('uses the area: urban order in a known ward goes to that ward', async () => {
    const { chat, reply } = await say('Quán nhậu lấn chiếm hết vỉa hè đường Lý Tự Trọng');
    expect((await ticketOf(reply)).agency?.slug).toBe('ubnd-phuong-ben-thanh');
    await chat.close();
  });

  it('sends reporters to the press center whatever the topic', async () => {
    const { chat, reply } = await say('Phóng viên báo Tuổi Trẻ xin số liệu sốt xuất huyết');
    expect((await ticketOf(reply)).agency?.slug).toBe('trung-tam-bao-chi');
    await chat.close();
  });

  it('sends an unsure classification to triage, keeping the suggested labels', async () => {
    const { chat, reply } = await say('chuyện này hơi mơ hồ');
    const ticket = await ticketOf(reply);
    expect(ticket).toMatchObject({ status: 'triage', intent: 'feedback', topic: 'environment' });
    expect(ticket.agency?.isTriage).toBe(true);
    expect(ticket.routingReason).toMatch(/Độ tin cậy phân loại thấp .*ngưỡng 0\.50/);
    await chat.close();
  });

  it('marks danger to life as urgent, with the emergency numbers', async () => {
    const { chat, reply } = await say('Cháy nhà ở hẻm 12, có người mắc kẹt');
    const ticket = await ticketOf(reply);
    expect(ticket.priority).toBe('urgent');
    expect(ticket.routingReason).toMatch(/Khẩn cấp: "cháy"/);
    expect(ticket.dueAt.getTime() - ticket.createdAt.getTime()).toBeLessThan(4 * 24 * 3600_000);
    expect(reply).toMatch(/KHẨN CẤP.*114/s);
    await chat.close();
  });

  it('flags online-service trouble for the support team', async () => {
    const { chat, reply } = await say('Không đăng nhập được VNeID để nộp hồ sơ');
    const ticket = await ticketOf(reply);
    expect(ticket).toMatchObject({ onlineSupport: true, topic: 'residence_identity' });
    expect(ticket.agency?.slug).toBe('cong-an-thanh-pho');
    await chat.close();
  });

  it('answers small talk and status questions without opening tickets', async () => {
    const before = await t.hotline.db.prisma.ticket.count();
    const hello = await say('xin chào');
    expect(hello.reply).toMatch(/^Xin chào! Đây là Đường dây nóng 1022/);
    const none = await say('hồ sơ của tôi tới đâu rồi', hello.chat);
    expect(none.reply).toMatch(/chưa tìm thấy yêu cầu nào/);
    expect(await t.hotline.db.prisma.ticket.count()).toBe(before);

    const opened = await say('Đèn đường ở hẻm 7 tắt cả tuần', hello.chat);
    const code = CODE.exec(opened.reply)![1]!;
    const status = await say('hồ sơ của tôi tới đâu rồi', hello.chat);
    expect(status.reply).toContain(`Yêu cầu ${code}: đã chuyển đơn vị xử lý — đơn vị xử lý: Sở Xây dựng.`);
    const thanks = await say('cảm ơn nhiều', hello.chat);
    expect(thanks.reply).toMatch(/^Xin chào!/);
    const ticket = await ticketOf(opened.reply);
    const inbound = await t.hotline.db.prisma.message.count({ where: { ticketId: ticket.id, direction: 'inbound' } });
    expect(inbound).toBe(1); // neither the status question nor the thanks were added to the ticket
    expect(await t.hotline.db.prisma.ticket.count()).toBe(before + 1);
    await hello.chat.close();
  });

  it('adds a follow-up on the same subject to the open ticket, but opens a new one for another subject or a danger', async () => {
    const first = await say('Đèn đường hẻm 9 hỏng');
    const code = CODE.exec(first.reply)![1]!;
    const same = await say('hẻm vẫn tối om', first.chat);
    expect(same.reply).toBe(`Đã bổ sung nội dung vào yêu cầu ${code}.`);
    const other = await say('Không đăng nhập được VNeID', first.chat);
    const otherCode = CODE.exec(other.reply)![1]!;
    expect(otherCode).not.toBe(code);
    const fire = await say('cháy nhà kế bên', first.chat);
    const fireTicket = await ticketOf(fire.reply);
    expect(fireTicket.trackingCode).not.toBe(otherCode);
    expect(fireTicket.priority).toBe('urgent');
    await first.chat.close();
  });
});
