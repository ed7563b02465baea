// Back-pressure at the door (src/channels/ingest-gate.ts): beyond LIMIT_INGEST_IN_FLIGHT stores at
// once a message is refused before anything is stored, the platform is told to deliver it again,
// and delivering it again stores it once.
import { userEvent } from '../helpers/fake-zalo-oa';
import { createIngestGate, IngestBusyError } from '../../src/channels/ingest-gate';
import { APP_ID, startZaloHotline, type ZaloHotline } from '../channels/zalo-oa/harness';

describe('ingest gate', () => {
  it('runs stores up to its bound, refuses the next without running it, and frees the slot after a failure', async () => {
    const gate = createIngestGate(2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = gate.run(() => held.then(() => 'one'));
    const second = gate.run(() => held.then(() => 'two'));
    expect(gate.inFlight).toBe(2);
    const refusedStore = jest.fn(async () => 'three');
    await expect(gate.run(refusedStore)).rejects.toBeInstanceOf(IngestBusyError);
    expect(refusedStore).not.toHaveBeenCalled();
    release();
    await expect(Promise.all([first, second])).resolves.toEqual(['one', 'two']);
    await expect(gate.run(async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(gate.inFlight).toBe(0);
    await expect(gate.run(async () => 'after')).resolves.toBe('after');
  });

  describe('through a platform webhook', () => {
    let z: ZaloHotline;
    beforeAll(async () => {
      z = await startZaloHotline({ env: { LIMIT_INGEST_IN_FLIGHT: '1' } });
    });
    afterAll(() => z.stop());

    it('answers 503 not_stored to a message it cannot take, and its redelivery is stored once', async () => {
      const prisma = z.t.hotline.db.prisma;
      const raw = userEvent(APP_ID, 'user_send_text', '4101', { text: 'mất điện khu phố 3' });
      const msgId = (JSON.parse(raw) as { message: { msg_id: string } }).message.msg_id;
      // Another message holds the only slot while this one arrives.
      let release!: () => void;
      const holding = z.t.hotline.ingestGate.run(() => new Promise<void>((resolve) => (release = resolve)));
      expect(await z.post(raw)).toMatchObject({ status: 503, body: { error: 'not_stored' } });
      expect(await prisma.message.count({ where: { channel: 'zalo_oa', externalId: msgId } })).toBe(0);
      release();
      await holding;
      // The platform delivers it again (twice, as retrying platforms may): stored once.
      expect(await z.post(raw)).toMatchObject({ status: 200, body: { ok: true, duplicate: false } });
      expect(await z.post(raw)).toMatchObject({ status: 200, body: { ok: true, duplicate: true } });
      expect(await prisma.message.count({ where: { channel: 'zalo_oa', externalId: msgId } })).toBe(1);
    });
  });
});
