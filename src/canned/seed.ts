// A few canned answers for the demo (SEED_DEMO), in Vietnamese and English, usable by every agency.
import type { Db } from '../db/database';

const DEMO: Array<{ title: string; body: string; locale: 'vi' | 'en' }> = [
  {
    locale: 'vi',
    title: 'Đã tiếp nhận, đang xử lý',
    body: 'Chào {{name}}, {{agency}} đã tiếp nhận yêu cầu {{code}} và đang cử cán bộ kiểm tra. Bạn theo dõi tiến độ tại {{tracking_url}}. Cán bộ phụ trách: {{staff}}.',
  },
  {
    locale: 'vi',
    title: 'Đã xử lý xong',
    body: 'Chào {{name}}, {{agency}} đã xử lý xong sự việc trong yêu cầu {{code}}. Cảm ơn bạn đã phản ánh đến Đường dây nóng 1022.',
  },
  {
    locale: 'vi',
    title: 'Cần thêm thông tin',
    body: 'Chào {{name}}, để xử lý yêu cầu {{code}}, {{agency}} cần thêm thông tin: địa chỉ cụ thể (số nhà, tên đường) và thời điểm xảy ra sự việc. Bạn vui lòng nhắn lại giúp chúng tôi.',
  },
  {
    locale: 'en',
    title: 'Received, being handled',
    body: 'Hello {{name}}, {{agency}} has received request {{code}} and is sending someone to check. You can follow it at {{tracking_url}}. Handled by: {{staff}}.',
  },
  {
    locale: 'en',
    title: 'Done',
    body: 'Hello {{name}}, {{agency}} has dealt with the problem in request {{code}}. Thank you for telling the 1022 hotline.',
  },
  {
    locale: 'en',
    title: 'More information needed',
    body: 'Hello {{name}}, to handle request {{code}}, {{agency}} needs a little more: the exact address (house number, street) and when it happened. Please reply with them.',
  },
];

/** Once: a database that has its demo answers (edited or not) keeps them. */
export async function seedCannedAnswers(db: Db): Promise<void> {
  if ((await db.cannedAnswer.count({ where: { demo: true } })) > 0) return;
  await db.cannedAnswer.createMany({ data: DEMO.map((a) => ({ ...a, demo: true })) });
}
