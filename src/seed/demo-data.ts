// Demo agencies and routing rules of docs/taxonomy.md (agencies after the 2025 reorganisation).
// They are ordinary rows: administrators edit them; nothing in the code depends on these slugs
// except the triage flag.
import type { TicketPriority } from '../generated/prisma/enums';

export interface AgencySeed {
  slug: string;
  name: string;
  nameEn: string;
  isTriage?: boolean;
}

export interface RoutingRuleSeed {
  name: string;
  intent?: string;
  topic?: string;
  area?: string;
  agency: string;
  priority?: TicketPriority;
  onlineSupport?: boolean;
  position: number;
}

export const DEMO_AGENCIES: AgencySeed[] = [
  { slug: 'tiep-nhan', name: 'Tổ tiếp nhận Đường dây nóng 1022', nameEn: 'Hotline operators (triage)', isTriage: true },
  { slug: 'trung-tam-bao-chi', name: 'Trung tâm Báo chí Thành phố', nameEn: 'City Press Center' },
  { slug: 'so-xay-dung', name: 'Sở Xây dựng', nameEn: 'Department of Construction' },
  { slug: 'so-nong-nghiep-moi-truong', name: 'Sở Nông nghiệp và Môi trường', nameEn: 'Department of Agriculture and Environment' },
  { slug: 'cong-an-thanh-pho', name: 'Công an Thành phố', nameEn: 'City Police' },
  { slug: 'dien-luc', name: 'Tổng công ty Điện lực Thành phố', nameEn: 'City Power Corporation' },
  { slug: 'cap-nuoc', name: 'Tổng công ty Cấp nước', nameEn: 'Water Supply Corporation' },
  { slug: 'so-y-te', name: 'Sở Y tế', nameEn: 'Department of Health' },
  { slug: 'so-giao-duc', name: 'Sở Giáo dục và Đào tạo', nameEn: 'Department of Education and Training' },
  { slug: 'so-noi-vu', name: 'Sở Nội vụ', nameEn: 'Department of Home Affairs' },
  { slug: 'so-tu-phap', name: 'Sở Tư pháp', nameEn: 'Department of Justice' },
  { slug: 'so-tai-chinh', name: 'Sở Tài chính', nameEn: 'Department of Finance' },
  { slug: 'so-cong-thuong', name: 'Sở Công Thương', nameEn: 'Department of Industry and Trade' },
  { slug: 'so-van-hoa-the-thao', name: 'Sở Văn hóa và Thể thao', nameEn: 'Department of Culture and Sports' },
  { slug: 'so-khoa-hoc-cong-nghe', name: 'Sở Khoa học và Công nghệ', nameEn: 'Department of Science and Technology' },
  { slug: 'ubnd-phuong-ben-thanh', name: 'UBND phường Bến Thành', nameEn: 'Ben Thanh Ward People’s Committee' },
  { slug: 'ubnd-phuong-sai-gon', name: 'UBND phường Sài Gòn', nameEn: 'Sai Gon Ward People’s Committee' },
  { slug: 'ubnd-phuong-tan-dinh', name: 'UBND phường Tân Định', nameEn: 'Tan Dinh Ward People’s Committee' },
];

const TOPIC_AGENCY: Record<string, string> = {
  transport: 'so-xay-dung',
  urban_infrastructure: 'so-xay-dung',
  environment: 'so-nong-nghiep-moi-truong',
  land_housing: 'so-nong-nghiep-moi-truong',
  public_security: 'cong-an-thanh-pho',
  residence_identity: 'cong-an-thanh-pho',
  electricity: 'dien-luc',
  water_supply: 'cap-nuoc',
  health: 'so-y-te',
  education: 'so-giao-duc',
  labor_social: 'so-noi-vu',
  civil_justice: 'so-tu-phap',
  business_tax: 'so-tai-chinh',
  commerce_consumer: 'so-cong-thuong',
  culture_media: 'so-van-hoa-the-thao',
  digital_services: 'so-khoa-hoc-cong-nghe',
};

const WARDS: Array<{ area: string; agency: string }> = [
  { area: 'Bến Thành', agency: 'ubnd-phuong-ben-thanh' },
  { area: 'Sài Gòn', agency: 'ubnd-phuong-sai-gon' },
  { area: 'Tân Định', agency: 'ubnd-phuong-tan-dinh' },
];

export const DEMO_ROUTING_RULES: RoutingRuleSeed[] = [
  { name: 'Báo chí → Trung tâm Báo chí', intent: 'press', agency: 'trung-tam-bao-chi', position: 10 },
  ...WARDS.map((w) => ({
    name: `Trật tự đô thị, phường ${w.area}`,
    topic: 'urban_order',
    area: w.area,
    agency: w.agency,
    position: 50,
  })),
  {
    name: 'Trật tự đô thị, chưa rõ phường → tổ tiếp nhận',
    topic: 'urban_order',
    agency: 'tiep-nhan',
    position: 90,
  },
  ...Object.entries(TOPIC_AGENCY).map(([topic, agency]) => ({ name: `Chủ đề ${topic}`, topic, agency, position: 100 })),
  { name: 'Chủ đề chung → tổ tiếp nhận', topic: 'general', agency: 'tiep-nhan', position: 200 },
];

export const DEMO_PASSWORD = 'demo1022';
