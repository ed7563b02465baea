// Conversations as data: what a person writes and what kind of reply each line must get (the locale
// key of the reply's main text). Run through the real channels by intake-runner.ts, with the real
// classifier. `staff` lines are actions of an agency between the person's lines.

export type StoryLine =
  /** `locale`: the language the reply must be in, from this line on (after a switch). `{code}` in
   *  the text stands for the person's latest tracking code (what a tapped button sends back). */
  | { person: string; expect: string; contains?: string[]; locale?: 'vi' | 'en' }
  /** The agency answers the person's latest request (the reply carries the "did it solve it?" buttons). */
  | { staff: 'answer'; text: string }
  /** The agency rejects the person's latest request; the person must be told, with the reason. */
  | { staff: 'reject'; reason: string }
  /** The hotline restarts on the same database (a deployment, a crash). */
  | { restart: true }
  /** The person goes quiet for this many minutes (the sweep runs on a clock moved on); `expect`: what the bot then says. */
  | { away: number; expect?: string };

export interface Story {
  name: string;
  locale: 'vi' | 'en';
  lines: StoryLine[];
  /** Checked at the end, against the person's tickets (oldest first). */
  tickets?: Array<{
    status?: string;
    priority?: string;
    summaryContains?: string[];
    messages?: number;
    onlineSupport?: boolean;
    place?: string;
    /** The ticket went to the operators' triage inbox. */
    triage?: boolean;
    /** The slug of the agency that holds it. */
    agency?: string;
  }>;
  /** Checked at the end, against the person's contact: the phone kept, and each consent answer in order. */
  contact?: { phone: string | null; consents: boolean[] };
}

export const STORIES: Story[] = [
  {
    name: 'a greeting gets the menu, and menu choices start their forms',
    locale: 'vi',
    lines: [
      { person: 'xin chào', expect: 'menu.greeting' },
      { person: 'menu:report', expect: 'report.ask_what' },
      { person: 'menu:online', expect: 'online.ask_service' },
      { person: 'hủy', expect: 'form.cancelled' },
    ],
    tickets: [],
  },
  {
    name: 'a report without a place: place, photo, consent refused, summary, ticket',
    locale: 'vi',
    lines: [
      { person: 'den duong bi hong roi', expect: 'report.ask_place' },
      { person: 'ở gần chợ Bến Thành', expect: 'report.ask_photo' },
      { person: 'report:no_photo', expect: 'report.ask_consent' },
      { person: 'consent:no', expect: 'report.confirm', contains: ['gần chợ Bến Thành'] },
      { person: 'form:confirm', expect: 'ticket.opened' },
    ],
    tickets: [{ summaryContains: ['den duong bi hong roi', 'gần chợ Bến Thành'], messages: 2, place: 'gần chợ Bến Thành' }],
    contact: { phone: null, consents: [false] },
  },
  {
    name: 'wrong input at every step is explained and asked again; consent given keeps the phone',
    locale: 'vi',
    lines: [
      { person: 'menu:report', expect: 'report.ask_what' },
      { person: 'ơ', expect: 'report.what_invalid' },
      { person: 'Nước máy bị đục và có mùi lạ', expect: 'report.ask_place' },
      { person: '???', expect: 'report.place_invalid' },
      { person: 'số 18 đường Nguyễn Huệ', expect: 'report.ask_photo' },
      { person: '?', expect: 'report.photo_invalid' },
      { person: 'không có', expect: 'report.ask_consent' },
      { person: 'để mai tính', expect: 'report.consent_invalid' },
      { person: 'đồng ý', expect: 'report.ask_phone' },
      { person: 'số em là 123', expect: 'report.phone_invalid' },
      { person: '0901 234 567', expect: 'report.confirm', contains: ['0901234567'] },
      { person: 'hmm', expect: 'form.confirm_invalid' },
      { person: 'form:change:where', expect: 'report.ask_place' },
      { person: 'số 20 đường Nguyễn Huệ', expect: 'report.confirm', contains: ['số 20 đường Nguyễn Huệ'] },
      { person: 'ok', expect: 'ticket.opened' },
    ],
    // Every word typed for the request stays with it, wrong answers too (nothing is lost); taps do not.
    tickets: [{ messages: 13, place: 'số 20 đường Nguyễn Huệ' }],
    contact: { phone: '0901234567', consents: [true] },
  },
  {
    name: 'a tracking code in the middle of the report is answered, then the report goes on',
    locale: 'vi',
    lines: [
      { person: 'den duong bi hong roi', expect: 'report.ask_place' },
      { person: 'HCM-26-7K3QD', expect: 'ticket.status_unknown' },
      { person: 'trước số 45 Nguyễn Trãi', expect: 'report.ask_photo' },
      { person: 'report:no_photo', expect: 'report.ask_consent' },
      { person: 'không', expect: 'report.confirm' },
      { person: 'gửi', expect: 'ticket.opened' },
    ],
    tickets: [{ summaryContains: ['45 Nguyễn Trãi'], messages: 4 }],
  },
  {
    name: 'a place and a phone in the first message are confirmed, not asked again',
    locale: 'vi',
    lines: [
      { person: 'Rác thải ùn ứ ở hẻm 12 Nguyễn Trãi, liên hệ 0912345678', expect: 'report.ask_photo' },
      { person: 'report:no_photo', expect: 'report.ask_consent' },
      { person: 'consent:yes', expect: 'report.confirm', contains: ['0912345678', 'hẻm 12 Nguyễn Trãi'] },
      { person: 'form:confirm', expect: 'ticket.opened' },
      { person: 'menu:report', expect: 'report.ask_what' },
      { person: 'Cây xanh gãy đổ chắn ngang đường số 7', expect: 'report.ask_photo' },
      // Consent given once: not asked a second time.
      { person: 'report:no_photo', expect: 'report.confirm', contains: ['0912345678'] },
      { person: 'form:confirm', expect: 'ticket.opened' },
    ],
    contact: { phone: '0912345678', consents: [true] },
  },
  {
    name: 'danger to life: the emergency numbers come first, no questions asked',
    locale: 'vi',
    lines: [{ person: 'Cháy nhà lớn, có người mắc kẹt bên trong!', expect: 'ticket.urgent', contains: ['114'] }],
    tickets: [{ priority: 'urgent' }],
  },
  {
    name: 'language switched on request mid-form, and the form goes on in English',
    locale: 'vi',
    lines: [
      { person: 'Nước máy bị đục và có mùi lạ', expect: 'report.ask_place' },
      { person: 'English please', expect: 'language.switched', locale: 'en' },
      { person: 'near the market on Le Loi street', expect: 'report.ask_photo' },
      { person: 'no photo', expect: 'report.ask_consent' },
      { person: 'no', expect: 'report.confirm' },
      { person: 'send', expect: 'ticket.opened' },
    ],
  },
  {
    name: 'a question the knowledge base knows is answered at once; "not answered" files it',
    locale: 'vi',
    lines: [
      { person: 'Thủ tục đăng ký tạm trú cần giấy tờ gì?', expect: 'question.answer', contains: ['http'] },
      { person: 'kb:yes', expect: 'question.glad' },
      { person: 'lam lai can cuoc cong dan bi mat thi lam the nao', expect: 'question.answer' },
      { person: 'kb:no', expect: 'question.filing' },
    ],
    tickets: [{ messages: 1 }],
  },
  {
    name: 'online public-service help: service, dossier code, problem, a known fix; then a ticket flagged online-support',
    locale: 'vi',
    lines: [
      { person: 'menu:online', expect: 'online.ask_service' },
      { person: 'online:national_portal', expect: 'online.ask_dossier' },
      { person: 'không biết nữa', expect: 'online.dossier_invalid' },
      { person: '000.00.07.H29-241203-0012', expect: 'online.ask_problem' },
      // A known fix comes first; it did not help, so the ticket is filed with everything asked.
      { person: 'không đăng nhập được, cứ báo sai mật khẩu', expect: 'online.known_fix' },
      { person: 'kb:no', expect: 'question.filing' },
    ],
    tickets: [{ onlineSupport: true, summaryContains: ['000.00.07.H29-241203-0012'], messages: 3 }],
  },
  {
    name: 'every open request is listed, not only the latest',
    locale: 'vi',
    lines: [
      { person: 'Cháy rừng lớn ở núi Sơn Trà, lửa lan nhanh', expect: 'ticket.urgent' },
      { person: 'Tôi muốn hỏi về chính sách hỗ trợ người lao động mất việc do dịch bệnh ở địa phương mình', expect: 'ticket.opened' },
      { person: 'menu:my_requests', expect: 'requests.header', contains: ['2'] },
    ],
  },
  {
    name: 'a follow-up about the open request joins it; an unclear one is asked about; another subject is new',
    locale: 'vi',
    lines: [
      { person: 'Cháy nhà lớn ở hẻm 5 Lê Lợi, có người mắc kẹt!', expect: 'ticket.urgent' },
      { person: 'hẻm 5 gần chợ', expect: 'ticket.appended' },
      { person: 'mọi người đang rất lo', expect: 'followup.ask' },
      { person: 'followup:add:{code}', expect: 'ticket.appended' },
      { person: 'Thủ tục đăng ký khai sinh cho con cần giấy tờ gì?', expect: 'question.answer' },
    ],
    // Filed at once (danger), with the place the first message named.
    tickets: [{ priority: 'urgent', messages: 3, place: 'hẻm 5' }],
  },
  {
    name: '"talk to a person" hands the conversation to the operators, and the bot keeps quiet',
    locale: 'vi',
    lines: [
      { person: 'Tôi hỏi mãi không được, cho tôi gặp người trực', expect: 'handoff.started' },
      { staff: 'answer', text: 'Chào bạn, tôi là cán bộ trực, bạn cần hỗ trợ gì?' },
      { person: 'feedback:solved:{code}', expect: 'feedback.thanks' },
    ],
    tickets: [{ status: 'closed', triage: true }],
  },
  {
    name: 'not solved reopens the request for the agency; a second time it goes to the operators',
    locale: 'vi',
    lines: [
      { person: 'Cháy nhà ở số 12 Lê Lợi, khói nhiều', expect: 'ticket.urgent' },
      { staff: 'answer', text: 'Đội PCCC đã dập tắt đám cháy.' },
      { person: 'vẫn chưa được, vẫn còn khói', expect: 'feedback.reopened' },
      { staff: 'answer', text: 'Đã kiểm tra lại hiện trường.' },
      { person: 'vẫn chưa được, tối qua vẫn còn khói', expect: 'feedback.reopened_to_operators' },
    ],
    tickets: [{ status: 'triage' }],
  },
  {
    name: 'solved closes the request with thanks and a rating',
    locale: 'en',
    lines: [
      { person: 'There is a fire at 20 Pasteur street, people are trapped', expect: 'ticket.urgent' },
      { staff: 'answer', text: 'Firefighters are on site.' },
      { person: 'solved', expect: 'feedback.thanks' },
    ],
    tickets: [{ status: 'closed' }],
  },
  {
    name: 'a rejected request is told with its reason',
    locale: 'vi',
    lines: [
      { person: 'Cháy nhà ở số 3 Lê Lợi', expect: 'ticket.urgent' },
      { staff: 'reject', reason: 'Trùng với tin báo đã có của Cảnh sát PCCC' },
    ],
    tickets: [{ status: 'rejected' }],
  },
  {
    name: 'a report waiting for its place survives a restart',
    locale: 'vi',
    lines: [
      { person: 'den duong bi hong roi', expect: 'report.ask_place' },
      { restart: true },
      { person: 'hẻm 9 đường Cách Mạng Tháng Tám', expect: 'report.ask_photo' },
      { person: 'report:no_photo', expect: 'report.ask_consent' },
      { person: 'consent:no', expect: 'report.confirm' },
      { person: 'form:confirm', expect: 'ticket.opened' },
    ],
    tickets: [{ messages: 2 }],
  },
  {
    name: 'an unfinished report resumes when the person comes back, and is closed politely when they do not',
    locale: 'vi',
    lines: [
      { person: 'den duong bi hong roi', expect: 'report.ask_place' },
      { away: 30 },
      { person: 'ở hẻm 3 Lê Lợi', expect: 'report.ask_photo' },
      { away: 180, expect: 'form.abandoned' },
      { person: 'xin chào', expect: 'menu.greeting' },
    ],
    tickets: [],
  },
  {
    name: 'a phone number sent while the request is open is added, and kept only after consent',
    locale: 'vi',
    lines: [
      { person: 'Cháy nhà ở số 8 Lê Lợi, khói rất nhiều', expect: 'ticket.urgent' },
      { person: '0987654321', expect: 'ticket.appended' },
      { person: 'đồng ý', expect: 'report.phone_saved', contains: ['0987654321'] },
    ],
    // The number joins the request; the "yes" to the consent question does not.
    tickets: [{ messages: 2 }],
    contact: { phone: '0987654321', consents: [true] },
  },
  {
    name: 'a reporter asks for information with a deadline: the Press Center gets it, due by then, never marked urgent',
    locale: 'vi',
    lines: [
      { person: 'Phóng viên báo Tuổi Trẻ xin số liệu sốt xuất huyết quý 3 của thành phố, cần trước 16h thứ Sáu', expect: 'press.ask_interview' },
      { person: 'có', expect: 'press.ask_name' },
      { person: 'Lan', expect: 'press.name_invalid' },
      { person: 'Nguyễn Thị Lan', expect: 'press.ask_card' },
      { person: 'press:no_card', expect: 'press.confirm', contains: ['Tuổi Trẻ', '16:00'] },
      { person: 'form:change:deadline', expect: 'press.ask_deadline' },
      { person: 'lúc nào cũng được', expect: 'press.deadline_invalid' },
      { person: '10h sáng thứ Sáu', expect: 'press.confirm', contains: ['10:00'] },
      { person: 'form:confirm', expect: 'ticket.opened' },
      // The profile is remembered: the next request asks only about the request.
      { person: 'menu:press', expect: 'press.ask_questions' },
      { person: 'Xin lịch tiêm vắc xin sởi đợt tới', expect: 'press.ask_deadline' },
      { person: 'press:no_deadline', expect: 'press.ask_interview' },
      { person: 'không', expect: 'press.confirm', contains: ['Tuổi Trẻ'] },
      { person: 'form:confirm', expect: 'ticket.opened' },
      { person: 'cập nhật thông tin nhà báo', expect: 'press.ask_name' },
    ],
    tickets: [
      { agency: 'trung-tam-bao-chi', priority: 'normal', summaryContains: ['Tuổi Trẻ', 'sốt xuất huyết'] },
      { agency: 'trung-tam-bao-chi', summaryContains: ['vắc xin sởi'] },
    ],
  },
  {
    name: 'a foreign reporter uses the press menu in English',
    locale: 'en',
    lines: [
      { person: 'menu:press', expect: 'press.ask_questions' },
      { person: 'How many dengue cases were reported in the city this year?', expect: 'press.ask_deadline' },
      { person: 'by tomorrow 5pm', expect: 'press.ask_interview' },
      { person: 'press:interview_no', expect: 'press.ask_name' },
      { person: 'John Smith', expect: 'press.ask_newsroom' },
      { person: 'Reuters', expect: 'press.ask_card' },
      { person: 'VN-2026-0412', expect: 'press.confirm', contains: ['Reuters'] },
      { person: 'send', expect: 'ticket.opened' },
    ],
    tickets: [{ agency: 'trung-tam-bao-chi' }],
  },
  {
    name: 'the press-conference calendar: listed with dates, register once, cancel',
    locale: 'vi',
    lines: [
      { person: 'lịch họp báo', expect: 'public.events_header' },
      { person: 'khi nào có họp báo tiếp theo vậy ad?', expect: 'public.events_header' },
      { person: 'event:register:{event}', expect: 'press:registered' },
      { person: 'event:register:{event}', expect: 'press:already_registered' },
      { person: 'event:cancel:{event}', expect: 'press:registration_cancelled' },
    ],
    tickets: [],
  },
  {
    name: 'announcements by topic: subscribe, and one message stops them all',
    locale: 'vi',
    lines: [
      { person: 'đăng ký nhận tin', expect: 'public.choose_topic' },
      { person: 'subscribe:press_releases', expect: 'press:subscribed' },
      { person: 'hủy nhận tin', expect: 'press:unsubscribed' },
    ],
    tickets: [],
  },
  {
    name: 'a comment on a draft open for consultation is tied to it and acknowledged with a code',
    locale: 'vi',
    lines: [
      { person: 'góp ý dự thảo', expect: 'public.drafts_header' },
      { person: 'draft:comment:{draft}', expect: 'public.ask_comment' },
      { person: 'ok', expect: 'public.comment_invalid' },
      { person: 'Điều 5: nên quy định rõ thời hạn cơ quan phải trả lời người dân', expect: 'press:comment_received', contains: ['GY-'] },
    ],
    tickets: [],
  },
  {
    name: 'a foreign reporter in English: the conference calendar, registering, announcements, and a published answer of /qa through the bot',
    locale: 'en',
    lines: [
      { person: 'press conferences', expect: 'public.events_header', contains: ['[Demo] Monthly press conference on the economy and society'] },
      // Asked as a question, the calendar too: not a ticket, not a press request.
      { person: 'When is the next press conference?', expect: 'public.events_header' },
      { person: 'event:register:{event}', expect: 'press:registered', contains: ['[Demo] Monthly press conference on the economy and society'] },
      { person: 'subscribe', expect: 'public.choose_topic' },
      { person: 'subscribe:conference_schedule', expect: 'press:subscribed', contains: ['Press conference schedule'] },
      { person: 'menu:question', expect: 'menu.prompt_question' },
      // A demo answer published on /qa (in English) is in the knowledge base: answered at once, with its page.
      { person: 'How do foreigners renew a temporary residence card?', expect: 'question.answer', contains: ['Immigration Office', 'https://hotline.test/qa/'] },
      { person: 'comment on a draft', expect: 'public.drafts_header', contains: ['[Demo] Draft rules on the use of sidewalks'] },
      { person: 'unsubscribe', expect: 'press:unsubscribed' },
    ],
    tickets: [],
  },
];
