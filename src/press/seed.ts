// Demo content of the press center (SEED_DEMO only), marked demo = true: three upcoming press
// conferences, two drafts open for comment, five published answers. Invented, plausible for Ho Chi
// Minh City; dates are relative to the first start, and nothing is seeded again once demo rows exist.
import type { Db } from '../db/database';
import { knowledgeEntryOf, publishedSearchText } from './published';

const DAY = 24 * 60 * 60 * 1000;

/** A local (UTC+7) time `days` from now at hh:mm. */
function localAt(now: Date, days: number, hh: number, mm = 0): Date {
  const d = new Date(now.getTime() + days * DAY + 7 * 60 * 60 * 1000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hh - 7, mm));
}

export async function seedPressDemo(db: Db, opts: { now?: Date; publicUrl?: string } = {}): Promise<void> {
  const now = opts.now ?? new Date();
  const agencies = new Map((await db.agency.findMany({ select: { id: true, slug: true } })).map((a) => [a.slug, a.id]));
  const agency = (slug: string) => agencies.get(slug) ?? null;

  if ((await db.pressEvent.count({ where: { demo: true } })) === 0) {
    await db.pressEvent.createMany({
      data: [
        {
          titleVi: '[Demo] Họp báo định kỳ về tình hình kinh tế – xã hội tháng',
          titleEn: '[Demo] Monthly press conference on the economy and society',
          startsAt: localAt(now, 6, 15),
          place: 'Trung tâm Báo chí Thành phố, 59 Lý Tự Trọng, phường Sài Gòn',
          topic: 'general',
          agencies: ['trung-tam-bao-chi', 'so-tai-chinh'],
          registrationDeadline: localAt(now, 5, 17),
          capacity: 120,
          onlineLink: 'https://example.invalid/demo/hop-bao-dinh-ky',
          demo: true,
        },
        {
          titleVi: '[Demo] Thông tin tiến độ chống ngập và nâng cấp đường Nguyễn Hữu Cảnh',
          titleEn: '[Demo] Flood prevention and the Nguyen Huu Canh road upgrade: progress',
          startsAt: localAt(now, 10, 9, 30),
          place: 'Hội trường Sở Xây dựng',
          topic: 'urban_infrastructure',
          agencies: ['so-xay-dung'],
          registrationDeadline: localAt(now, 9, 12),
          capacity: 60,
          demo: true,
        },
        {
          titleVi: '[Demo] Kế hoạch tuyển sinh lớp 10 năm học mới',
          titleEn: '[Demo] Grade 10 admissions plan for the new school year',
          startsAt: localAt(now, 15, 14),
          place: 'Trung tâm Báo chí Thành phố',
          topic: 'education',
          agencies: ['so-giao-duc'],
          registrationDeadline: localAt(now, 14, 12),
          capacity: null,
          demo: true,
        },
      ],
    });
  }

  const construction = agency('so-xay-dung');
  const environment = agency('so-nong-nghiep-moi-truong');
  if ((await db.draftDocument.count({ where: { demo: true } })) === 0 && construction && environment) {
    await db.draftDocument.createMany({
      data: [
        {
          titleVi: '[Demo] Dự thảo Quy định quản lý vỉa hè, lòng đường trên địa bàn Thành phố',
          titleEn: '[Demo] Draft rules on the use of sidewalks and roadways in the city',
          agencyId: construction,
          summary: 'Quy định các trường hợp được sử dụng tạm thời một phần vỉa hè, mức thu phí và trách nhiệm của phường trong kiểm tra, xử lý vi phạm.',
          fullTextUrl: 'https://example.invalid/demo/du-thao-via-he.pdf',
          opensAt: new Date(now.getTime() - 3 * DAY),
          closesAt: new Date(now.getTime() + 27 * DAY),
          demo: true,
        },
        {
          titleVi: '[Demo] Dự thảo Kế hoạch phân loại chất thải rắn sinh hoạt tại nguồn',
          titleEn: '[Demo] Draft plan for sorting household waste at source',
          agencyId: environment,
          summary: 'Lộ trình phân loại rác thành ba nhóm tại hộ gia đình, thời gian thu gom và mức giá dịch vụ theo khối lượng.',
          fullTextUrl: 'https://example.invalid/demo/du-thao-phan-loai-rac.pdf',
          opensAt: new Date(now.getTime() - 1 * DAY),
          closesAt: new Date(now.getTime() + 20 * DAY),
          demo: true,
        },
      ],
    });
  }

  if ((await db.publishedAnswer.count({ where: { demo: true } })) === 0) {
    const answers: Array<{ question: string; answer: string; topic: string; agency: string; locale: 'vi' | 'en'; daysAgo: number }> = [
      {
        question: 'Xin giấy phép xây dựng nhà ở riêng lẻ cần những giấy tờ gì và nộp ở đâu?',
        answer:
          'Hồ sơ gồm đơn đề nghị cấp giấy phép, bản sao giấy chứng nhận quyền sử dụng đất và bản vẽ thiết kế. Người dân nộp trực tuyến trên Cổng dịch vụ công hoặc tại bộ phận một cửa của phường nơi có công trình; thời hạn giải quyết 15 ngày.',
        topic: 'urban_infrastructure',
        agency: 'so-xay-dung',
        locale: 'vi',
        daysAgo: 12,
      },
      {
        question: 'Khu phố bị cúp nước nhiều ngày vào buổi tối, khi nào được khắc phục?',
        answer:
          'Nguyên nhân là áp lực nước yếu do đang thay tuyến ống chính. Công việc hoàn thành trong tuần này; trong thời gian đó xe bồn cấp nước miễn phí từ 18 giờ đến 21 giờ hằng ngày.',
        topic: 'water_supply',
        agency: 'cap-nuoc',
        locale: 'vi',
        daysAgo: 8,
      },
      {
        question: 'Đăng ký tạm trú cho người thuê trọ có làm trực tuyến được không?',
        answer:
          'Được. Chủ nhà hoặc người thuê đăng nhập VNeID hoặc Cổng dịch vụ công, chọn thủ tục đăng ký tạm trú, đính kèm hợp đồng thuê nhà. Công an phường giải quyết trong 3 ngày làm việc, không thu lệ phí khi nộp trực tuyến.',
        topic: 'residence_identity',
        agency: 'cong-an-thanh-pho',
        locale: 'vi',
        daysAgo: 5,
      },
      {
        question: 'Trường có được thu tiền máy lạnh ngoài các khoản đã công bố đầu năm không?',
        answer:
          'Không. Các khoản thu thỏa thuận phải được thống nhất với cha mẹ học sinh và công khai từ đầu năm học. Sở đã yêu cầu trường hoàn trả khoản đã thu và báo cáo kết quả.',
        topic: 'education',
        agency: 'so-giao-duc',
        locale: 'vi',
        daysAgo: 3,
      },
      {
        question: 'How do foreigners renew a temporary residence card in the city?',
        answer:
          'Apply at the Immigration Office of the City Police with your passport, the current card and the sponsor’s request form, at least 30 days before the card expires. Online applications are accepted on the National Public Service Portal.',
        topic: 'residence_identity',
        agency: 'cong-an-thanh-pho',
        locale: 'en',
        daysAgo: 2,
      },
    ];
    await db.publishedAnswer.createMany({
      data: answers.map((a) => ({
        question: a.question,
        answer: a.answer,
        topic: a.topic,
        agencyId: agency(a.agency),
        locale: a.locale,
        anonymised: true,
        publishedAt: new Date(now.getTime() - a.daysAgo * DAY),
        demo: true,
        searchText: publishedSearchText(a.question, a.answer),
      })),
    });
  }
  // The demo answers answer the bot's next person too, like any published answer (kept if already there).
  const demoAnswers = await db.publishedAnswer.findMany({ where: { demo: true } });
  const entries = demoAnswers.map((a) => knowledgeEntryOf(a, opts.publicUrl ?? ''));
  // Checked by slug first: on every start after the first they are all there already.
  const present = await db.knowledgeEntry.count({ where: { slug: { in: entries.map((e) => e.slug) } } });
  if (present < entries.length) await db.knowledgeEntry.createMany({ data: entries, skipDuplicates: true });
}
