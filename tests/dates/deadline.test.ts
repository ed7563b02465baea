// Reporters' deadlines in their own words, read on a fixed clock: Wednesday 2 December 2026, 09:30
// in Vietnam (UTC+7).
import { parseDeadline } from '../../src/dates/deadline';

const now = new Date('2026-12-02T02:30:00Z');
const vn = (local: string) => new Date(`${local}+07:00`);
const read = (words: string) => parseDeadline(words, { now, timezoneOffsetMinutes: 420 });

describe('reading a deadline', () => {
  it.each([
    ['trước 16h thứ Sáu', '2026-12-04T16:00'],
    ['truoc 16h thu 6', '2026-12-04T16:00'],
    ['trước 17 giờ ngày 5/12', '2026-12-05T17:00'],
    ['hạn 10h30 ngày 07/12/2026', '2026-12-07T10:30'],
    ['trong hôm nay', '2026-12-02T17:00'],
    ['trước 15h', '2026-12-02T15:00'],
    ['sáng mai', '2026-12-03T11:00'],
    ['4h chiều mai', '2026-12-03T16:00'],
    ['ngày kia', '2026-12-04T17:00'],
    ['trong 2 ngày', '2026-12-04T17:00'],
    ['thứ 2 tuần sau', '2026-12-14T17:00'],
    ['thứ Hai', '2026-12-07T17:00'],
    ['thứ Tư (today, its office hours not over)', '2026-12-02T17:00'],
    ['5/1', '2027-01-05T17:00'],
    ['by Friday 4pm', '2026-12-04T16:00'],
    ['tomorrow noon', '2026-12-03T12:00'],
    ['within 3 days', '2026-12-05T17:00'],
  ])('%s → %s', (words, expected) => {
    expect(read(words)).toEqual(vn(expected));
  });

  it('counts hours from now', () => {
    expect(read('trong 3 tiếng')).toEqual(new Date(now.getTime() + 3 * 3600_000));
  });

  it.each(['không gấp', 'càng sớm càng tốt', '32/13', 'trước 8h', 'lịch tiêm vắc xin đợt tới', 'thông tin này', 'sửa mái nhà', 'chuyển sang phường'])('gives no deadline for "%s" (none, impossible, or already past)', (words) => {
    expect(read(words)).toBeNull();
  });
});
