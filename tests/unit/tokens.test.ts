import { TokenSigner } from '../../src/auth/tokens';

describe('signed tokens', () => {
  const signer = new TokenSigner(Buffer.from('a'.repeat(32)));

  it('round-trips and expires', () => {
    const { token } = signer.sign('webchat', 'session-1', 1000, 1_000_000);
    expect(signer.verify(token, 'webchat', 1_000_500)).toEqual({
      ok: true,
      claims: { purpose: 'webchat', subject: 'session-1', expiresAt: 1_001_000 },
    });
    expect(signer.verify(token, 'webchat', 1_001_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects forgeries, other purposes, other secrets and garbage', () => {
    const { token } = signer.sign('webchat', 's', 60_000);
    const [body, mac] = token.split('.') as [string, string];
    const forgedBody = Buffer.from(JSON.stringify(['webchat', 'someone-else', Date.now() + 60_000])).toString('base64url');
    expect(signer.verify(`${forgedBody}.${mac}`, 'webchat')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(signer.verify(token, 'staff')).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(new TokenSigner(Buffer.from('b'.repeat(32))).verify(token, 'webchat')).toEqual({ ok: false, reason: 'bad_signature' });
    for (const junk of ['', 'abc', 'a.b.c', `${body}.`, '...']) expect(signer.verify(junk, 'webchat').ok).toBe(false);
  });
});
