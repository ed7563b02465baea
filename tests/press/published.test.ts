// Published answers: who may publish a ticket's answer (its agency, press officers, admins), only
// with the person's consent or anonymised; the public pages /hoi-dap and /qa, searchable without
// diacritics, by topic, with the agency and date, a canonical address and no personal data.
import { PUBLISH_CONSENT_PURPOSE } from '../../src/press/published';
import { ChatClient, api, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('published answers', () => {
  let t: TestHotline;
  let operator: string;
  let education: string;
  let health: string;
  let press: string;
  let code: string;
  const db = () => t.hotline.db.prisma;
  const page = async (url: string) => {
    const res = await t.hotline.server.inject({ method: 'GET', url });
    return { status: res.statusCode, type: String(res.headers['content-type']), html: res.body };
  };

  beforeAll(async () => {
    t = await startTestHotline();
    [operator, education, health, press] = await Promise.all([
      staffLogin(t, 'operator@hotline.local'),
      staffLogin(t, 'so-giao-duc@hotline.local'),
      staffLogin(t, 'so-y-te@hotline.local'),
      staffLogin(t, 'trung-tam-bao-chi@hotline.local'),
    ]);
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const reply = await chat.sendAndFile('m1', 'Trường tiểu học thu thêm tiền học phí máy lạnh, tôi là Phạm Văn Tuấn 0912345678');
    await chat.close();
    code = CODE.exec(String(reply.text))![1]!;
    const agencies = (await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies')).body;
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: agencies.find((a) => a.slug === 'so-giao-duc')!.id, reason: 'Học phí' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('lets the ticket’s agency, press officers and admins publish, with consent or anonymised', async () => {
    const body = {
      question: 'Trường tiểu học có được thu thêm học phí máy lạnh không? (Phạm Văn Tuấn, 0912 345 678)',
      answer: 'Không được thu ngoài các khoản đã công bố; Sở đã yêu cầu trường hoàn trả.',
    };
    expect(await api(t, health, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: true })).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
    expect(await api(t, education, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: false })).toMatchObject({ status: 409, body: { error: 'consent_required' } });

    const anonymous = await api<{ question: string; consent: boolean; anonymised: boolean; topic: string | null }>(t, education, 'POST', `/tickets/${code}/publish`, {
      question: 'Trường tiểu học có được thu thêm học phí máy lạnh không? Gọi 0912 345 678',
      answer: body.answer,
      anonymised: true,
    });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body).toMatchObject({ anonymised: true, consent: false });
    expect(anonymous.body.question).not.toMatch(/0912/);

    // Once the person agreed, it may be published as written (by a press officer too).
    const ticket = await db().ticket.findUniqueOrThrow({ where: { trackingCode: code } });
    await db().contactConsent.create({ data: { contactId: ticket.contactId, purpose: PUBLISH_CONSENT_PURPOSE, granted: true, text: 'Đồng ý đăng', locale: 'vi' } });
    const consented = await api<{ consent: boolean }>(t, press, 'POST', `/tickets/${code}/publish`, {
      question: 'Học phí máy lạnh ở trường tiểu học <script>alert(1)</script>',
      answer: body.answer,
      anonymised: false,
    });
    expect(consented).toMatchObject({ status: 201, body: { consent: true } });
    expect((await api(t, operator, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: true })).status).toBe(404);
  });

  it('shows /hoi-dap in Vietnamese, searchable without diacritics and by topic, safely escaped, without personal data', async () => {
    const all = await page('/hoi-dap');
    expect(all.status).toBe(200);
    expect(all.type).toMatch(/^text\/html; charset=utf-8/);
    expect(all.html).toContain('<link rel="canonical" href="https://hotline.test/hoi-dap">');
    expect(all.html).toContain('<html lang="vi">');

    const found = await page(`/hoi-dap?q=${encodeURIComponent('hoc phi may lanh')}`);
    expect(found.html).toContain('Trường tiểu học có được thu thêm học phí máy lạnh không?');
    expect(found.html).toMatch(/Sở Giáo dục và Đào tạo trả lời ngày \d{2}\/\d{2}\/\d{4}/);
    expect(found.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(found.html).not.toContain('<script>');
    expect(found.html).not.toMatch(/0912|Phạm Văn Tuấn|HCM-\d{2}-/);
    expect(found.html).not.toContain('Xin giấy phép xây dựng'); // a demo answer that does not match

    const permit = await page(`/hoi-dap?q=${encodeURIComponent('giay phep xay dung')}`);
    expect(permit.html).toContain('Xin giấy phép xây dựng nhà ở riêng lẻ');
    expect(permit.html).toContain('<strong>Dữ liệu mẫu</strong>'); // seeded demo answers say so
    const byTopic = await page('/hoi-dap?topic=water_supply');
    expect(byTopic.html).toContain('cúp nước');
    expect(byTopic.html).not.toContain('học phí');
    expect((await page(`/hoi-dap?q=${encodeURIComponent('khong co cau nay')}`)).html).toContain('Không tìm thấy câu hỏi phù hợp.');
  });

  it('shows /qa in English', async () => {
    const qa = await page('/qa?q=residence%20card');
    expect(qa.status).toBe(200);
    expect(qa.html).toContain('<html lang="en">');
    expect(qa.html).toContain('<link rel="canonical" href="https://hotline.test/qa">');
    expect(qa.html).toContain('How do foreigners renew a temporary residence card');
    expect(qa.html).toMatch(/Answered by City Police on \d{2}\/\d{2}\/\d{4}/);
    expect(qa.html).not.toContain('học phí');
  });

  it('answers the next person who asks the same, through the bot', async () => {
    const published = await api(t, press, 'POST', `/tickets/${code}/publish`, {
      question: 'Trường tiểu học có được thu tiền máy lạnh của học sinh không?',
      answer: 'Khoản thu tiền máy lạnh chỉ được thu khi ban đại diện cha mẹ học sinh thỏa thuận và công khai; nhà trường không được tự đặt ra.',
      anonymised: true,
    });
    expect(published.status).toBe(201);
    await t.hotline.refreshKnowledge();
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    await chat.sendAndFile('q0', 'menu:question'); // its reply first, so the next reply is the answer
    const seq = await chat.sendMessage('q1', 'truong tieu hoc thu tien may lanh co dung khong');
    const reply = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > seq);
    await chat.close();
    expect(String(reply.text)).toContain('ban đại diện cha mẹ học sinh');
    expect(String(reply.text)).toContain('https://hotline.test/hoi-dap');
  });

  it('lists the published answers for press officers and unpublishes one, off the public page and the knowledge base', async () => {
    const published = await api<{ id: string }>(t, press, 'POST', `/tickets/${code}/publish`, {
      question: 'Trường có được thu quỹ khuyến học bắt buộc không?',
      answer: 'Quỹ khuyến học là tự nguyện; trường không được bắt buộc.',
      anonymised: true,
    });
    expect(published.status).toBe(201);
    expect((await api(t, education, 'GET', '/press/published')).status).toBe(403);
    const list = await api<Array<{ id: string; trackingCode: string | null; question: string }>>(t, press, 'GET', '/press/published?locale=vi');
    expect(list.status).toBe(200);
    expect(list.body[0]).toMatchObject({ id: published.body.id, trackingCode: code, question: 'Trường có được thu quỹ khuyến học bắt buộc không?' });
    expect((await page(`/hoi-dap?q=${encodeURIComponent('quy khuyen hoc')}`)).html).toContain('quỹ khuyến học bắt buộc');

    expect((await api(t, education, 'DELETE', `/press/published/${published.body.id}`)).status).toBe(403);
    expect((await api(t, press, 'DELETE', `/press/published/${published.body.id}`)).status).toBe(200);
    expect(await api(t, press, 'DELETE', `/press/published/${published.body.id}`)).toMatchObject({ status: 404, body: { error: 'published_answer_not_found' } });
    expect((await page(`/hoi-dap?q=${encodeURIComponent('quy khuyen hoc')}`)).html).not.toContain('quỹ khuyến học bắt buộc');
    expect(await db().knowledgeEntry.findUnique({ where: { slug: `hoi-dap-${published.body.id}` } })).toBeNull();
  });
});
