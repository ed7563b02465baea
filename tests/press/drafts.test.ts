// Draft consultation: press officers open a draft for comment, a person comments and gets a code,
// the drafting agency's staff (and press officers, admins) read the comments and export them.
import { commentOnDraft, openDrafts } from '../../src/press/drafts';
import { createWebchatSession } from '../../src/webchat/sessions';
import { api, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const DAY = 24 * 60 * 60 * 1000;
const COMMENT_CODE = /^GY-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}$/;

describe('draft consultation', () => {
  let t: TestHotline;
  let press: string;
  let construction: string;
  let health: string;
  let admin: string;
  let contactId: string;
  const db = () => t.hotline.db.prisma;

  async function newDraft(opensAt: Date, closesAt: Date) {
    const agencies = (await api<Array<{ id: string; slug: string }>>(t, press, 'GET', '/agencies')).body;
    return api<{ id: string }>(t, press, 'POST', '/press/drafts', {
      titleVi: 'Dự thảo Quy định về bãi giữ xe',
      titleEn: 'Draft rules on parking lots',
      agencyId: agencies.find((a) => a.slug === 'so-xay-dung')!.id,
      summary: 'Điều kiện mở bãi giữ xe, giá trần và trách nhiệm của phường.',
      fullTextUrl: 'https://example.test/du-thao.pdf',
      opensAt: opensAt.toISOString(),
      closesAt: closesAt.toISOString(),
    });
  }

  beforeAll(async () => {
    t = await startTestHotline();
    [press, construction, health, admin] = await Promise.all([
      staffLogin(t, 'trung-tam-bao-chi@hotline.local'),
      staffLogin(t, 'so-xay-dung@hotline.local'),
      staffLogin(t, 'so-y-te@hotline.local'),
      staffLogin(t, 'admin@hotline.local'),
    ]);
    const session = await createWebchatSession(db(), 'vi');
    contactId = (await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'webchat', channelUserId: session.sessionId } } })).id;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('takes comments on an open draft with a code, and refuses closed or unknown drafts', async () => {
    expect((await api(t, construction, 'POST', '/press/drafts', {})).status).toBe(400);
    const bad = await newDraft(new Date(), new Date(Date.now() - DAY));
    expect(bad.body).toMatchObject({ error: 'closes_before_opens' });
    const draft = (await newDraft(new Date(Date.now() - DAY), new Date(Date.now() + 10 * DAY))).body;
    const open = await openDrafts(db());
    expect(open.map((d) => d.id)).toContain(draft.id);
    expect(open.filter((d) => d.demo)).toHaveLength(2); // the demo drafts

    const first = await db().$transaction((tx) => commentOnDraft(tx, { draftId: draft.id, contactId, article: 'Điều 5', text: 'Giá trần giữ xe máy nên công bố theo từng khu vực.' }));
    expect(first.trackingCode).toMatch(COMMENT_CODE);
    const second = await db().$transaction((tx) => commentOnDraft(tx, { draftId: draft.id, contactId, text: '=HYPERLINK("http://x.test","bấm vào"), nên có bãi cho xe đạp' }));
    expect(second.trackingCode).not.toBe(first.trackingCode);

    const closed = (await newDraft(new Date(Date.now() - 10 * DAY), new Date(Date.now() - DAY))).body;
    await expect(db().$transaction((tx) => commentOnDraft(tx, { draftId: closed.id, contactId, text: 'Muộn' }))).rejects.toMatchObject({ code: 'draft_closed' });
    await expect(
      db().$transaction((tx) => commentOnDraft(tx, { draftId: '00000000-0000-4000-8000-000000000000', contactId, text: 'x' })),
    ).rejects.toMatchObject({ code: 'draft_not_found' });
    await expect(db().$transaction((tx) => commentOnDraft(tx, { draftId: draft.id, contactId, text: '   ' }))).rejects.toMatchObject({ code: 'empty_comment' });

    // The drafting agency, press officers and admins read them; another agency does not even see the draft.
    for (const token of [construction, press, admin]) {
      const res = await api<Array<{ trackingCode: string; article: string | null; text: string }>>(t, token, 'GET', `/press/drafts/${draft.id}/comments`);
      expect(res.status).toBe(200);
      expect(res.body.map((c) => c.trackingCode)).toEqual([first.trackingCode, second.trackingCode]);
      expect(res.body[0]).toMatchObject({ article: 'Điều 5' });
      expect(JSON.stringify(res.body)).not.toContain(contactId);
    }
    expect(await api(t, health, 'GET', `/press/drafts/${draft.id}/comments`)).toMatchObject({ status: 404, body: { error: 'draft_not_found' } });

    const csv = await t.hotline.server.inject({ method: 'GET', url: `/api/press/drafts/${draft.id}/comments.csv`, headers: { authorization: `Bearer ${construction}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Mã góp ý,Điều khoản,Nội dung góp ý,Thời gian');
    expect(lines[1]).toMatch(new RegExp(`^${first.trackingCode},Điều 5,Giá trần giữ xe máy nên công bố theo từng khu vực\\.,`));
    // A formula a person typed stays text in Excel.
    expect(lines[2]).toContain(`${second.trackingCode},,"'=HYPERLINK(""http://x.test"",""bấm vào""), nên có bãi cho xe đạp"`);
    expect((await t.hotline.server.inject({ method: 'GET', url: `/api/press/drafts/${draft.id}/comments.csv`, headers: { authorization: `Bearer ${health}` } })).statusCode).toBe(404);

    const list = await api<Array<{ id: string; comments: number }>>(t, health, 'GET', '/press/drafts');
    expect(list.body.find((d) => d.id === draft.id)).toMatchObject({ comments: 2 });
  });
});
