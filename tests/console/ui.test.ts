// The staff console's pages as the server serves them (src/console/ui.ts): the built app at
// /console/, its page for any other address under /console/ (a reload of /console/tickets/X),
// built files cached for good, a missing file a real 404, and a clear 503 before the build;
// GET /api/tickets/:code/colleagues, whom the ticket view offers to give a ticket to; and
// POST /api/tickets/:code/priority, whose deadlines follow the new priority.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { consoleUi, CONSOLE_DIST } from '../../src/console/ui';
import { api, ChatClient, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const ROOT = path.resolve(__dirname, '../..');
const CODE = /\b(HCM-\d{2}-[0-9A-Z]{5})\b/;

describe('staff console pages, colleagues and priority', () => {
  let t: TestHotline;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-console.cjs')], { cwd: ROOT, stdio: 'inherit' });
    t = await startTestHotline();
  });
  afterAll(() => t?.stop());

  /** A web chat ticket as the person files it (in triage: the test hotline has no classifier). */
  async function fileTicket(text: string): Promise<string> {
    const session = await newSession(t);
    const chat = await ChatClient.connect(t, session.token);
    const reply = await chat.sendAndFile(`c${Math.random()}`, text);
    await chat.close();
    return CODE.exec(String(reply.text))![1]!;
  }

  it('serves the app at /console and /console/, and its page for any page address under it', async () => {
    for (const address of ['/console', '/console/', '/console/inbox', '/console/tickets/HCM-26-7K3QD?x=1']) {
      const res = await fetch(`${t.baseUrl}${address}`);
      expect({ address, status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control') }).toEqual({
        address,
        status: 200,
        type: 'text/html; charset=utf-8',
        cache: 'no-cache',
      });
      const html = await res.text();
      expect(html).toContain('<div id="root"></div>');
      expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js"><\/script>/);
      // The same security headers as every page: only our own scripts run.
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
  });

  it('caches the built files for good and answers 404 for files that are not there', async () => {
    const script = readdirSync(path.join(CONSOLE_DIST, 'assets')).find((f) => f.endsWith('.js'))!;
    const res = await fetch(`${t.baseUrl}/console/assets/${script}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const missing of ['/console/assets/gone-1234.js', '/console/logo.png']) {
      const gone = await fetch(`${t.baseUrl}${missing}`);
      expect({ missing, status: gone.status, body: await gone.json() }).toMatchObject({ missing, status: 404, body: { error: 'not_found' } });
    }
    // The rest of the site keeps its own 404.
    expect((await fetch(`${t.baseUrl}/no-such-page`)).status).toBe(404);
  });

  it('says how to build the console when it is not built', async () => {
    const app = Fastify();
    await app.register(consoleUi, { prefix: '/console', root: path.join(ROOT, 'no-such-build') });
    for (const url of ['/console/', '/console/inbox']) {
      const res = await app.inject({ url });
      expect({ url, status: res.statusCode, error: res.json().error }).toEqual({ url, status: 503, error: 'console_not_built' });
      expect(res.json().message).toContain('npm run build:console');
    }
    await app.close();
  });

  it('lists the active staff of the agency holding a ticket, for those who may see it', async () => {
    const code = await fileTicket('Quán karaoke trong hẻm 45 Lê Thánh Tôn hát ồn đến nửa đêm');

    const operator = await staffLogin(t, 'operator@hotline.local');
    const inTriage = await api<Array<{ displayName: string; role: string }>>(t, operator, 'GET', `/tickets/${code}/colleagues`);
    expect(inTriage.status).toBe(200);
    expect(inTriage.body.map((c) => c.role)).toContain('operator');

    const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
    const ward = agencies.body.find((a) => a.slug === 'ubnd-phuong-ben-thanh')!;
    expect((await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: ward.id, reason: 'Thuộc phường Bến Thành' })).status).toBe(200);

    const wardStaff = await staffLogin(t, 'ubnd-phuong-ben-thanh@hotline.local');
    const colleagues = await api<Array<{ id: string; displayName: string; role: string; isLead: boolean }>>(t, wardStaff, 'GET', `/tickets/${code}/colleagues`);
    expect(colleagues.status).toBe(200);
    const me = await api<{ id: string }>(t, wardStaff, 'GET', '/me');
    expect(colleagues.body).toContainEqual(expect.objectContaining({ id: me.body.id, role: 'agency_staff' }));
    expect(Object.keys(colleagues.body[0]!).sort()).toEqual(['displayName', 'id', 'isLead', 'role']); // no e-mail, no hash
    // Giving the ticket to someone from that list works.
    expect(await api(t, wardStaff, 'POST', `/tickets/${code}/assign-user`, { staffUserId: me.body.id })).toMatchObject({ status: 200 });

    const otherWard = await staffLogin(t, 'ubnd-phuong-sai-gon@hotline.local');
    expect(await api(t, otherWard, 'GET', `/tickets/${code}/colleagues`)).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
    expect(await api(t, otherWard, 'GET', `/tickets/not-a-code/colleagues`)).toMatchObject({ status: 404 });
  });

  it('changes the priority with the deadlines that go with it, for staff who may work on the ticket', async () => {
    const code = await fileTicket('Cây đổ chắn ngang đường Hai Bà Trưng, xe không qua được');
    const before = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: code } });
    expect(before.priority).toBe('normal');

    const operator = await staffLogin(t, 'operator@hotline.local');
    type Changed = { trackingCode: string; priority: string; acceptDueAt: string; dueAt: string; overdue: boolean };
    const urgent = await api<Changed>(t, operator, 'POST', `/tickets/${code}/priority`, { priority: 'urgent', reason: 'Cây đổ chắn đường, nguy hiểm' });
    expect(urgent).toMatchObject({ status: 200, body: { trackingCode: code, priority: 'urgent', overdue: false } });
    // Urgent: 1 and 4 working hours instead of 8 and 40, from when the ticket came in.
    expect(new Date(urgent.body.dueAt).getTime()).toBeLessThan(before.dueAt.getTime());
    expect(new Date(urgent.body.acceptDueAt).getTime()).toBeLessThan(before.acceptDueAt.getTime());
    const event = await t.hotline.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: before.id, kind: 'priority_changed' } });
    expect(event.data).toEqual({ from: 'normal', to: 'urgent', reason: 'Cây đổ chắn đường, nguy hiểm' });
    // Back to normal: the original deadlines again.
    const normal = await api<Changed>(t, operator, 'POST', `/tickets/${code}/priority`, { priority: 'normal' });
    expect(new Date(normal.body.dueAt).getTime()).toBe(before.dueAt.getTime());

    expect(await api(t, operator, 'POST', `/tickets/${code}/priority`, { priority: 'very' })).toMatchObject({ status: 400 });
    const ward = await staffLogin(t, 'ubnd-phuong-sai-gon@hotline.local');
    expect(await api(t, ward, 'POST', `/tickets/${code}/priority`, { priority: 'urgent' })).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
    expect((await fetch(`${t.baseUrl}/api/tickets/${code}/priority`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"priority":"urgent"}' })).status).toBe(401);

    // A browser's session cookie needs the csrf token here too.
    const login = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'operator@hotline.local', password: 'demo1022' }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const byCookie = (headers: Record<string, string>) =>
      fetch(`${t.baseUrl}/api/tickets/${code}/priority`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies, ...headers }, body: '{"priority":"complex"}' });
    const refused = await byCookie({});
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 403, body: { error: 'csrf_missing' } });
    expect((await byCookie({ 'x-csrf-token': csrfToken })).status).toBe(200);

    // A finished ticket keeps its priority.
    expect((await api(t, operator, 'POST', `/tickets/${code}/status`, { status: 'rejected', reason: 'Không thuộc phạm vi' })).status).toBe(200);
    expect(await api(t, operator, 'POST', `/tickets/${code}/priority`, { priority: 'urgent' })).toMatchObject({ status: 409, body: { error: 'ticket_closed' } });
  });
});
