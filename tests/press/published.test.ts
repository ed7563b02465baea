// Published answers: who may publish a ticket's answer (its agency, press officers, admins): as
// written only with the person's consent, asked in the bot, else anonymised; the public pages
// /hoi-dap and /qa, searched in the database without diacritics, by topic, a page at a time, each
// answer with its agency and date and a page of its own, canonical addresses, no personal data.
import { anonymise, indexPublishedAnswers, PUBLISH_CONSENT_PURPOSE } from '../../src/press/published';
import { ChatClient, api, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('published answers', () => {
  let t: TestHotline;
  let operator: string;
  let education: string;
  let health: string;
  let press: string;
  let code: string;
  let chat: ChatClient;
  let educationAgencyId: string;
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
    chat = await ChatClient.connect(t, token);
    const reply = await chat.sendAndFile('m1', 'Trường tiểu học thu thêm tiền học phí máy lạnh, tôi là Phạm Văn Tuấn 0912345678');
    code = CODE.exec(String(reply.text))![1]!;
    const agencies = (await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies')).body;
    educationAgencyId = agencies.find((a) => a.slug === 'so-giao-duc')!.id;
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: educationAgencyId, reason: 'Học phí' });
  });
  afterAll(async () => {
    await chat.close();
    await t.stop();
  });

  it('lets the ticket’s agency, press officers and admins publish: anonymised always, as written only once the person agreed in the bot', async () => {
    const body = {
      question: 'Trường tiểu học có được thu thêm học phí máy lạnh không? (Phạm Văn Tuấn, 0912 345 678)',
      answer: 'Không được thu ngoài các khoản đã công bố; Sở đã yêu cầu trường hoàn trả.',
    };
    expect(await api(t, health, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: true })).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
    expect(await api(t, education, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: false })).toMatchObject({ status: 409, body: { error: 'consent_required' } });
    expect(await api(t, education, 'GET', `/tickets/${code}/publish-consent`)).toMatchObject({ status: 200, body: { state: 'not_asked', at: null } });

    // Anonymised: names, phones, house-number addresses and codes go; street names in the answer stay.
    const anonymous = await api<{ question: string; answer: string; consent: boolean; anonymised: boolean }>(t, education, 'POST', `/tickets/${code}/publish`, {
      question: `Tôi là Phạm Văn Tuấn ở số 18 Nguyễn Huệ, con học trường tiểu học thu thêm học phí máy lạnh (mã ${code}). Gọi 0912 345 678 hoặc tuan.pham@example.com`,
      answer: 'Trường trên đường Lê Lợi không được thu ngoài các khoản đã công bố; chị Nguyễn Thị Mai, hiệu trưởng, đã được yêu cầu hoàn trả.',
      anonymised: true,
    });
    expect(anonymous.status).toBe(201);
    expect(anonymous.body).toMatchObject({ anonymised: true, consent: false });
    expect(anonymous.body.question).not.toMatch(/0912|Phạm|Tuấn|18 Nguyễn Huệ|example\.com|HCM-/);
    expect(anonymous.body.question).toContain('học phí máy lạnh');
    expect(anonymous.body.answer).toContain('đường Lê Lợi');
    expect(anonymous.body.answer).not.toContain('Nguyễn Thị Mai');

    // Asked in the person's conversation, with buttons.
    const asked = await api<{ state: string }>(t, education, 'POST', `/tickets/${code}/publish-consent`);
    expect(asked).toMatchObject({ status: 202, body: { state: 'asked' } });
    const question = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && String(f.text).includes('Hỏi – đáp'));
    expect(JSON.stringify(question.buttons)).toContain(`publish:yes:${code}`);
    expect(await api(t, press, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: false })).toMatchObject({ status: 409, body: { error: 'consent_pending' } });

    // "ko đăng" (teencode, typed) while the question is the bot's latest message: a refusal.
    const refusedSeq = await chat.sendMessage('c1', 'ko đăng');
    const refused = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > refusedSeq);
    expect(String(refused.text)).toContain(`câu hỏi ${code} sẽ không được đăng`);
    expect(await api(t, press, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: false })).toMatchObject({ status: 409, body: { error: 'consent_refused' } });
    expect(await api(t, press, 'POST', `/tickets/${code}/publish-consent`)).toMatchObject({ status: 409, body: { error: 'consent_already_refused' } });
    // A later "có" answers nothing of the kind: no second consent is recorded.
    const laterSeq = await chat.sendMessage('c2', 'có');
    await chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > laterSeq);
    const consents = await db().contactConsent.findMany({ where: { ticket: { trackingCode: code } } });
    expect(consents.map((c) => [c.purpose, c.granted])).toEqual([[PUBLISH_CONSENT_PURPOSE, false]]);
    expect(consents[0]!.text).toContain('Hỏi – đáp');
    // The conversation is where it was (on the open request), the question no longer pending.
    const ticket = await db().ticket.findUniqueOrThrow({ where: { trackingCode: code } });
    const conversation = await db().conversation.findUniqueOrThrow({ where: { id: ticket.conversationId } });
    expect(conversation.state).toMatchObject({ ticketId: ticket.id });
    expect(conversation.state).not.toHaveProperty('publishConsent');

    // Another person's question: they agree with a tap, and it may be published as written.
    const other = await newSession(t);
    const chat2 = await ChatClient.connect(t, other.token);
    const second = await chat2.sendAndFile('m2', 'Trường thu tiền học thêm buổi chiều có đúng quy định không, tôi thấy không hợp lý');
    const secondCode = CODE.exec(String(second.text))![1]!;
    await api(t, operator, 'POST', `/tickets/${secondCode}/assign`, { agencyId: educationAgencyId, reason: 'Học phí' });
    expect(secondCode).not.toBe(code);
    expect((await api(t, press, 'POST', `/tickets/${secondCode}/publish-consent`)).body).toMatchObject({ state: 'asked' });
    await chat2.waitFor((f) => f.type === 'message' && f.from === 'bot' && JSON.stringify(f.buttons ?? []).includes(`publish:yes:${secondCode}`));
    const tapSeq = await chat2.sendMessage('c3', `publish:yes:${secondCode}`);
    const thanked = await chat2.waitFor((f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > tapSeq);
    expect(String(thanked.text)).toContain(`Câu hỏi ${secondCode} có thể được đăng`);
    await chat2.close();
    expect(await api(t, education, 'GET', `/tickets/${secondCode}/publish-consent`)).toMatchObject({ body: { state: 'granted' } });
    const consented = await api<{ consent: boolean; question: string }>(t, press, 'POST', `/tickets/${secondCode}/publish`, {
      question: 'Học phí máy lạnh ở trường tiểu học <script>alert(1)</script>',
      answer: body.answer,
      anonymised: false,
    });
    expect(consented).toMatchObject({ status: 201, body: { consent: true } });
    expect((await api(t, operator, 'POST', `/tickets/${code}/publish`, { ...body, anonymised: true })).status).toBe(404);
  });

  it('anonymises the person, not the places and offices an answer names', () => {
    expect(anonymise('Tôi là Phạm Văn Tuấn ở số 18 Nguyễn Huệ, con học ở TP Hồ Chí Minh, mẹ cháu là Lan Nguyễn', ['Lan Nguyễn'])).toBe(
      'Tôi là *** ở số ***, con học ở TP Hồ Chí Minh, mẹ cháu là ***',
    );
    expect(anonymise('Kính gửi anh Tuấn: hồ sơ nộp tại 59 Lý Tự Trọng; trường Nguyễn Du đường Lê Lợi đã hoàn trả.', [], 'answer')).toBe(
      'Kính gửi anh ***: hồ sơ nộp tại 59 Lý Tự Trọng; trường Nguyễn Du đường Lê Lợi đã hoàn trả.',
    );
    expect(anonymise('My name is John Smith and I am worried about Hà Nội traffic.')).toBe('My name is *** and I am worried about Hà Nội traffic.');
  });

  it('shows /hoi-dap in Vietnamese, searchable without diacritics and by topic, safely escaped, without personal data', async () => {
    const all = await page('/hoi-dap');
    expect(all.status).toBe(200);
    expect(all.type).toMatch(/^text\/html; charset=utf-8/);
    expect(all.html).toContain('<link rel="canonical" href="https://hotline.test/hoi-dap">');
    expect(all.html).toContain('<html lang="vi">');

    const found = await page(`/hoi-dap?q=${encodeURIComponent('hoc phi may lanh')}`);
    expect(found.html).toContain('con học trường tiểu học thu thêm học phí máy lạnh');
    expect(found.html).toContain('<meta name="robots" content="noindex, follow">'); // a search is not a page of its own
    expect(found.html).toContain('<link rel="canonical" href="https://hotline.test/hoi-dap">');
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
    // A topic is a page of its own: indexable, its own canonical address and title.
    expect(byTopic.html).toContain('<link rel="canonical" href="https://hotline.test/hoi-dap?topic=water_supply">');
    expect(byTopic.html).toContain('<title>Cấp nước – Hỏi – đáp với cơ quan nhà nước</title>');
    expect(byTopic.html).not.toContain('noindex');
  });

  it('pages the listing in the database, and gives each answer a page of its own', async () => {
    const ticket = await db().ticket.findUniqueOrThrow({ where: { trackingCode: code } });
    // 45 more answers on one topic: three pages of 20.
    await db().publishedAnswer.createMany({
      data: Array.from({ length: 45 }, (_, i) => ({
        ticketId: ticket.id,
        question: `Câu hỏi về lịch thi số ${i + 1}`,
        answer: 'Lịch thi được công bố trên cổng thông tin của Sở.',
        topic: 'education',
        locale: 'vi',
        anonymised: true,
        publishedAt: new Date(Date.now() - (i + 1) * 60_000),
      })),
    });
    // Rows without a search text (published before it existed) are found once the start-up indexing ran.
    expect((await page(`/hoi-dap?q=${encodeURIComponent('lich thi')}`)).html).toContain('Không tìm thấy câu hỏi phù hợp.');
    expect(await indexPublishedAnswers(db())).toBe(45);
    const first = await page(`/hoi-dap?q=${encodeURIComponent('lich thi')}`);
    expect(first.html).toContain('45 câu hỏi');
    expect(first.html.match(/<article/g)).toHaveLength(20);
    expect(first.html).toContain('Câu hỏi về lịch thi số 1<');
    expect(first.html).toContain('<link rel="next" href="https://hotline.test/hoi-dap?q=lich+thi&amp;page=2">');
    const third = await page(`/hoi-dap?q=${encodeURIComponent('lịch thi')}&page=3`);
    expect(third.html.match(/<article/g)).toHaveLength(5);
    expect(third.html).toContain('Câu hỏi về lịch thi số 45<');
    expect(third.html).toContain('Trang 3/3');
    expect(third.html).not.toContain('rel="next"');
    const topicPage = await page('/hoi-dap?topic=education&page=2');
    expect(topicPage.html).toContain('<link rel="canonical" href="https://hotline.test/hoi-dap?topic=education&amp;page=2">');

    const one = await db().publishedAnswer.findFirstOrThrow({ where: { question: 'Câu hỏi về lịch thi số 7' } });
    const own = await page(`/hoi-dap/${one.id}`);
    expect(own.status).toBe(200);
    expect(own.html).toContain(`<link rel="canonical" href="https://hotline.test/hoi-dap/${one.id}">`);
    expect(own.html).toContain('<title>Câu hỏi về lịch thi số 7 – Hỏi – đáp với cơ quan nhà nước</title>');
    expect(first.html).toContain(`href="/hoi-dap/`);
    // The English address of a Vietnamese answer leads to it; an unknown one is a 404 page.
    const moved = await t.hotline.server.inject({ method: 'GET', url: `/qa/${one.id}` });
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/hoi-dap/${one.id}`);
    expect((await page('/hoi-dap/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    await db().publishedAnswer.deleteMany({ where: { question: { startsWith: 'Câu hỏi về lịch thi số' } } });
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
});
