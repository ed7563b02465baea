import { findTrackingCode, newTrackingCode, normalizeTrackingCode, TRACKING_ALPHABET } from '../../src/tickets/tracking-code';

describe('tracking codes', () => {
  it('are PREFIX-YY-XXXXX from an alphabet without look-alikes', () => {
    for (const c of ['0', 'O', '1', 'I', 'L', 'U']) expect(TRACKING_ALPHABET).not.toContain(c);
    const codes = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newTrackingCode('HCM', new Date('2026-11-22T00:00:00Z'));
      expect(code).toMatch(/^HCM-26-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}$/);
      codes.add(code);
    }
    expect(codes.size).toBeGreaterThan(1990);
  });

  it('accept what people type', () => {
    expect(normalizeTrackingCode(' hcm-26-7k3qd ')).toBe('HCM-26-7K3QD');
    expect(normalizeTrackingCode('HCM 26 7K3QD')).toBe('HCM-26-7K3QD');
    expect(normalizeTrackingCode('hcm267k3qd')).toBe('HCM-26-7K3QD');
    expect(normalizeTrackingCode('HCM-26-7K3Q0')).toBeNull();
    expect(normalizeTrackingCode('<script>')).toBeNull();
  });

  it('are found inside a message', () => {
    expect(findTrackingCode('ma hcm-26-7k3qd cua toi sao roi')).toBe('HCM-26-7K3QD');
    expect(findTrackingCode('không có mã')).toBeNull();
  });
});
