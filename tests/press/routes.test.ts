// Every staff action of the press center has an API route documented at /docs (tag press, a
// summary); and the actions added last: subscribers per topic, changing or closing a draft,
// listing and withdrawing published answers.
import { subscribe } from '../../src/press/announcements';
import { openDrafts } from '../../src/press/drafts';
import { createWebchatSession } from '../../src/webchat/sessions';
import { api, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

type Operation = { tags?: string[]; summary?: string };

/** The staff actions, each with the route that does it. */
const STAFF_ACTIONS: Array<[string, string, string]> = [
  ['list journalists’ profiles', 'get', '/api/press/profiles'],
  ['mark a profile verified', 'post', '/api/press/profiles/{id}/verify'],
  ['ask agencies for their part of a request', 'post', '/api/tickets/{code}/subtasks'],
  ['read the parts and answers under a request', 'get', '/api/tickets/{code}/subtasks'],
  ['an agency’s inbox of requests for input', 'get', '/api/subtasks'],
  ['an agency answers its part', 'post', '/api/subtasks/{id}/answer'],
  ['list press conferences', 'get', '/api/press/events'],
  ['create a press conference', 'post', '/api/press/events'],
  ['read one', 'get', '/api/press/events/{id}'],
  ['change one', 'patch', '/api/press/events/{id}'],
  ['cancel one', 'delete', '/api/press/events/{id}'],
  ['list registrants', 'get', '/api/press/events/{id}/registrations'],
  ['export registrants (CSV)', 'get', '/api/press/events/{id}/registrations.csv'],
  ['subscribers per topic', 'get', '/api/press/subscriptions'],
  ['list announcements', 'get', '/api/press/announcements'],
  ['write an announcement', 'post', '/api/press/announcements'],
  ['delivery counts', 'get', '/api/press/announcements/{id}'],
  ['publish (fan-out)', 'post', '/api/press/announcements/{id}/publish'],
  ['stop', 'post', '/api/press/announcements/{id}/stop'],
  ['list drafts', 'get', '/api/press/drafts'],
  ['open a draft for comment', 'post', '/api/press/drafts'],
  ['change or close a draft', 'patch', '/api/press/drafts/{id}'],
  ['read a draft’s comments', 'get', '/api/press/drafts/{id}/comments'],
  ['export a draft’s comments (CSV)', 'get', '/api/press/drafts/{id}/comments.csv'],
  ['ask the person’s consent to publish', 'post', '/api/tickets/{code}/publish-consent'],
  ['read the consent', 'get', '/api/tickets/{code}/publish-consent'],
  ['publish an answer', 'post', '/api/tickets/{code}/publish'],
  ['list published answers', 'get', '/api/press/published'],
  ['withdraw a published answer', 'delete', '/api/press/published/{id}'],
];

describe('press center API', () => {
  let t: TestHotline;
  let press: string;
  let health: string;
  let education: string;
  const db = () => t.hotline.db.prisma;

  beforeAll(async () => {
    t = await startTestHotline();
    [press, health, education] = await Promise.all([
      staffLogin(t, 'trung-tam-bao-chi@hotline.local'),
      staffLogin(t, 'so-y-te@hotline.local'),
      staffLogin(t, 'so-giao-duc@hotline.local'),
    ]);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('documents a route for every staff action, tagged press, with a summary', async () => {
    const spec = (await (await fetch(`${t.baseUrl}/docs/json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const missing = STAFF_ACTIONS.filter(([, method, path]) => {
      const op = spec.paths[path]?.[method];
      return !op || !op.tags?.includes('press') || !op.summary || op.summary.length < 10;
    });
    expect(missing.map(([what, method, path]) => `${what}: ${method.toUpperCase()} ${path}`)).toEqual([]);
    // The public pages are documented too.
    for (const path of ['/hoi-dap', '/qa', '/hoi-dap/{id}', '/qa/{id}']) expect(spec.paths[path]?.get?.tags).toContain('public');
  });

  it('counts subscribers per topic and channel, for press officers only', async () => {
    const sessions = await Promise.all([createWebchatSession(db(), 'vi'), createWebchatSession(db(), 'en')]);
    const contacts = await db().contact.findMany({ where: { channelUserId: { in: sessions.map((s) => s.sessionId) } } });
    await db().$transaction(async (tx) => {
      for (const c of contacts) await subscribe(tx, c.id, 'spokesperson');
      await subscribe(tx, contacts[0]!.id, 'service_outages');
    });
    const counts = await api<Array<{ topic: string; total: number; byChannel: Record<string, number> }>>(t, press, 'GET', '/press/subscriptions');
    expect(counts.status).toBe(200);
    expect(counts.body.find((c) => c.topic === 'spokesperson')).toEqual({ topic: 'spokesperson', total: 2, byChannel: { webchat: 2 } });
    expect(counts.body.find((c) => c.topic === 'service_outages')?.total).toBe(1);
    expect(counts.body.find((c) => c.topic === 'press_releases')).toEqual({ topic: 'press_releases', total: 0, byChannel: {} });
    expect((await api(t, health, 'GET', '/press/subscriptions')).status).toBe(403);
  });

  it('changes a draft, closes it now, and refuses impossible dates', async () => {
    const draft = (await openDrafts(db()))[0]!;
    expect((await api(t, health, 'PATCH', `/press/drafts/${draft.id}`, { summary: 'x' })).status).toBe(403);
    expect((await api(t, press, 'PATCH', `/press/drafts/${draft.id}`, {})).status).toBe(400);
    expect(await api(t, press, 'PATCH', `/press/drafts/${draft.id}`, { closesAt: new Date(draft.opensAt.getTime() - 1000).toISOString() })).toMatchObject({
      status: 400,
      body: { error: 'closes_before_opens' },
    });
    const closed = await api<{ closesAt: string }>(t, press, 'PATCH', `/press/drafts/${draft.id}`, { closesAt: new Date(Date.now() - 1000).toISOString() });
    expect(closed.status).toBe(200);
    expect((await openDrafts(db())).map((d) => d.id)).not.toContain(draft.id);
    expect((await api(t, press, 'PATCH', '/press/drafts/00000000-0000-4000-8000-000000000000', { summary: 'x' })).status).toBe(404);
  });

  it('lists published answers for staff and withdraws one from the pages and the knowledge base', async () => {
    const listed = await api<{ total: number; answers: Array<{ id: string; question: string; agency: { slug: string } | null; searchText?: string }> }>(
      t,
      press,
      'GET',
      `/press/published?q=${encodeURIComponent('may lanh')}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    const answer = listed.body.answers[0]!;
    expect(answer).toMatchObject({ agency: { slug: 'so-giao-duc' } });
    expect(answer.searchText).toBeUndefined();
    expect(await db().knowledgeEntry.count({ where: { slug: `hoi-dap-${answer.id}` } })).toBe(1);

    // Another agency cannot; the answer's agency can.
    expect((await api(t, health, 'DELETE', `/press/published/${answer.id}`)).status).toBe(404);
    expect((await api(t, education, 'DELETE', `/press/published/${answer.id}`)).status).toBe(200);
    expect(await db().knowledgeEntry.count({ where: { slug: `hoi-dap-${answer.id}` } })).toBe(0);
    const page = await t.hotline.server.inject({ method: 'GET', url: `/hoi-dap?q=${encodeURIComponent('may lanh')}` });
    expect(page.body).toContain('Không tìm thấy câu hỏi phù hợp.');
    expect((await t.hotline.server.inject({ method: 'GET', url: `/hoi-dap/${answer.id}` })).statusCode).toBe(404);
    expect((await api(t, press, 'DELETE', `/press/published/${answer.id}`)).status).toBe(404);
  });
});
