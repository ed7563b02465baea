// Conversations as data: what a person writes and what kind of reply each line must get (the locale
// key of the reply's main text). Run through the real channels by intake.test.ts, with the real
// classifier. `staff` lines are actions of an agency between the person's lines.

export type StoryLine =
  /** `locale`: the language the reply must be in, from this line on (after a switch). */
  | { person: string; expect: string; contains?: string[]; locale?: 'vi' | 'en' }
  /** The agency answers the person's latest request (the reply carries the "did it solve it?" buttons). */
  | { staff: 'answer'; text: string }
  /** The hotline restarts on the same database (a deployment, a crash). */
  | { restart: true };

export interface Story {
  name: string;
  locale: 'vi' | 'en';
  lines: StoryLine[];
  /** Checked at the end, against the person's tickets (oldest first). */
  tickets?: Array<{ status?: string; priority?: string; summaryContains?: string[]; messages?: number }>;
}

export const STORIES: Story[] = [
  {
    name: 'a greeting gets the menu, and a menu choice asks for the details',
    locale: 'vi',
    lines: [
      { person: 'xin chào', expect: 'menu.greeting' },
      { person: 'menu:report', expect: 'menu.prompt_report' },
      { person: 'menu:online', expect: 'menu.prompt_online' },
    ],
    tickets: [],
  },
  {
    name: 'a report without a place is asked where, and filed with the place',
    locale: 'vi',
    lines: [
      { person: 'den duong bi hong roi', expect: 'report.ask_place' },
      { person: 'ở gần chợ Bến Thành', expect: 'ticket.opened' },
    ],
    tickets: [{ summaryContains: ['den duong bi hong roi', 'gần chợ Bến Thành'], messages: 2 }],
  },
  {
    name: 'a tracking code in the middle of the report is answered, then the report goes on',
    locale: 'vi',
    lines: [
      { person: 'den duong bi hong roi', expect: 'report.ask_place' },
      { person: 'HCM-26-7K3QD', expect: 'ticket.status_unknown' },
      { person: 'trước số 45 Nguyễn Trãi', expect: 'ticket.opened' },
    ],
    tickets: [{ summaryContains: ['45 Nguyễn Trãi'], messages: 2 }],
  },
  {
    name: 'the person does not know the place: the report is filed anyway',
    locale: 'vi',
    lines: [
      { person: 'Nước máy bị đục và có mùi lạ', expect: 'report.ask_place' },
      { person: 'report:no_place', expect: 'ticket.opened' },
    ],
    tickets: [{ messages: 2 }],
  },
  {
    name: 'danger to life: the emergency numbers come first, no questions asked',
    locale: 'vi',
    lines: [{ person: 'Cháy nhà lớn, có người mắc kẹt bên trong!', expect: 'ticket.urgent', contains: ['114'] }],
    tickets: [{ priority: 'urgent' }],
  },
  {
    name: 'language switched on request mid-conversation, and the bot answers in English from then on',
    locale: 'vi',
    lines: [
      { person: 'Nước máy bị đục và có mùi lạ', expect: 'report.ask_place' },
      { person: 'English please', expect: 'language.switched', locale: 'en' },
      { person: 'near the market on Le Loi street', expect: 'ticket.opened' },
    ],
  },
  {
    name: 'every open request is listed, not only the latest',
    locale: 'vi',
    lines: [
      { person: 'Rác thải ùn ứ ở hẻm 12 Nguyễn Trãi', expect: 'ticket.opened' },
      { person: 'Lấn chiếm vỉa hè bán hàng ở đường số 7 phường Tân Định', expect: 'ticket.opened' },
      { person: 'menu:my_requests', expect: 'requests.header', contains: ['2'] },
    ],
  },
  {
    name: 'not solved reopens the request for the agency; a second time it goes to the operators',
    locale: 'vi',
    lines: [
      { person: 'Đèn đường trước số 12 Lê Lợi bị hỏng', expect: 'ticket.opened' },
      { staff: 'answer', text: 'Đã thay bóng đèn sáng nay.' },
      { person: 'đèn vẫn chưa được sửa', expect: 'feedback.reopened' },
      { staff: 'answer', text: 'Đã kiểm tra lại và thay dây dẫn.' },
      { person: 'vẫn chưa được, tối qua vẫn tắt', expect: 'feedback.reopened_to_operators' },
    ],
    tickets: [{ status: 'triage' }],
  },
  {
    name: 'solved closes the request with thanks',
    locale: 'en',
    lines: [
      { person: 'The streetlight at 20 Pasteur street is broken', expect: 'ticket.opened' },
      { staff: 'answer', text: 'Replaced this morning.' },
      { person: 'solved', expect: 'feedback.thanks' },
    ],
    tickets: [{ status: 'closed' }],
  },
  {
    name: 'a report waiting for its place survives a restart',
    locale: 'vi',
    lines: [
      { person: 'den duong bi hong roi', expect: 'report.ask_place' },
      { restart: true },
      { person: 'hẻm 9 đường Cách Mạng Tháng Tám', expect: 'ticket.opened' },
    ],
    tickets: [{ messages: 2 }],
  },
];
