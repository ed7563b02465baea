// PostgreSQL restarting or failing over closes every connection (57P01 "terminating connection due
// to administrator command"). That must cost errors and retries, never the process: webhooks answer
// 503 meanwhile so platforms deliver again, /readyz says so, and afterwards everything works again.
import pg from 'pg';
import { startTelegramHotline, type TelegramHotline } from '../channels/telegram/setup';
import { textUpdate } from '../helpers/fake-telegram';
import { ChatClient, eventually, newSession } from '../helpers/hotline';
import { describeIf, REQUIRES } from '../helpers/requires';

async function terminateConnections(databaseUrl: string): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const res = await admin.query(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return (res.rows[0] as { n: number }).n;
  } finally {
    await admin.end();
  }
}

/** Connects like the widget does: a 503 while the database is away means "try again shortly". */
async function connect(t: TelegramHotline['t'], token: string): Promise<ChatClient> {
  return eventually(() => ChatClient.connect(t, token).catch((err: { status?: number }) => {
    if (err.status === 503) return null;
    throw err;
  }));
}

describeIf(REQUIRES.postgres, 'PostgreSQL closes the connections under load', () => {
  let h: TelegramHotline;
  beforeAll(async () => {
    h = await startTelegramHotline();
  });
  afterAll(async () => h?.stop());

  it('keeps the process alive, answers 503 while nothing can be stored, and works again afterwards', async () => {
    const { t } = h;
    const url = t.env.DATABASE_URL!;
    const { token } = await newSession(t);
    let chat = await connect(t, token);
    let terminated = 0;
    const webhookStatuses = new Set<number>();
    // Traffic on both paths while every connection is cut again and again.
    for (let round = 0; round < 8; round++) {
      const traffic = Promise.all([
        ...Array.from({ length: 4 }, (_, i) =>
          h.post(textUpdate(h.nextUpdateId(), 7000 + i, 100 + round, `Mất điện khu phố ${round}.${i}`)).then((r) => webhookStatuses.add(r.status)),
        ),
        (async () => {
          if (chat.closeCode !== null) chat = await connect(t, token);
          chat.send({ type: 'message', clientMsgId: `r${round}`, text: `Nước yếu lần ${round}` });
        })(),
      ]);
      terminated += await terminateConnections(url);
      await traffic;
    }
    expect(terminated).toBeGreaterThan(0);
    // Only "stored" or "not stored, deliver again": never a 500, never a dropped update.
    expect([...webhookStatuses].every((s) => s === 200 || s === 503)).toBe(true);

    // Everything works again: ready, a web chat message is stored and answered, a webhook is stored.
    await eventually(async () => (await fetch(`${t.baseUrl}/readyz`)).status === 200);
    if (chat.closeCode !== null) chat = await connect(t, token);
    const seq = await chat.sendMessage('after', 'Cống bị tắc');
    await chat.waitFor((f) => f.type === 'message' && (f.seq as number) > seq);
    const res = await h.post(textUpdate(h.nextUpdateId(), 7999, 1, 'Đèn đường hỏng'));
    expect(res.status).toBe(200);
    await chat.close();
  }, 60_000);
});
