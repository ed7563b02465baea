-- The working-hour calendar every deadline counts in (src/tickets/deadlines.ts, docs/calendar.md).

-- Weekly office hours: one row per opening window, minutes after local midnight, [opens_at, closes_at).
CREATE TABLE "working_hours" (
    "id" UUID NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "opens_at" SMALLINT NOT NULL,
    "closes_at" SMALLINT NOT NULL,
    CONSTRAINT "working_hours_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "working_hours_weekday_check" CHECK ("weekday" BETWEEN 0 AND 6),
    CONSTRAINT "working_hours_window_check" CHECK ("opens_at" >= 0 AND "closes_at" <= 1440 AND "opens_at" < "closes_at")
);
CREATE INDEX "working_hours_weekday_idx" ON "working_hours"("weekday");

-- Days that break the weekly pattern: a public holiday or day off in lieu ('holiday'), or a weekend
-- day worked in exchange for a day off ('working_day', with Monday's hours). `provisional`: not yet
-- announced by the government, derived from the Labour Code; replace when the schedule is published.
CREATE TABLE "calendar_day" (
    "date" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "provisional" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT,
    CONSTRAINT "calendar_day_pkey" PRIMARY KEY ("date"),
    CONSTRAINT "calendar_day_kind_check" CHECK ("kind" IN ('holiday', 'working_day'))
);

-- Monday to Friday, 07:30–11:30 and 13:00–17:00 (the state administration's office hours).
INSERT INTO "working_hours" ("id", "weekday", "opens_at", "closes_at")
SELECT gen_random_uuid(), d, w.opens, w.closes
FROM generate_series(1, 5) AS d, (VALUES (450, 690), (780, 1020)) AS w(opens, closes);

-- Civil servants' days off in 2026, as the Ministry of Home Affairs announced them, and 2027 from
-- the Labour Code (art. 112: 1/1, five days of Tết, Hùng Kings' day 10/3 lunar, 30/4, 1/5, 2/9 and
-- one adjacent day; a holiday on a weekend is taken on the next working day).
INSERT INTO "calendar_day" ("date", "kind", "name", "name_en", "provisional", "source") VALUES
  ('2026-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', false, 'Văn bản 12729/VPCP-KGVX ngày 25/12/2025'),
  ('2026-01-02', 'holiday', 'Nghỉ hoán đổi Tết Dương lịch', 'New Year (swapped day off)', false, 'Văn bản 12729/VPCP-KGVX ngày 25/12/2025'),
  ('2026-01-10', 'working_day', 'Làm bù cho ngày 02/01', 'Working Saturday (for 2 January)', false, 'Văn bản 12729/VPCP-KGVX ngày 25/12/2025'),
  ('2026-02-16', 'holiday', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)', false, 'Bộ Nội vụ, lịch nghỉ Tết Bính Ngọ 2026'),
  ('2026-02-17', 'holiday', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year (Tết)', false, 'Bộ Nội vụ, lịch nghỉ Tết Bính Ngọ 2026'),
  ('2026-02-18', 'holiday', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết)', false, 'Bộ Nội vụ, lịch nghỉ Tết Bính Ngọ 2026'),
  ('2026-02-19', 'holiday', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)', false, 'Bộ Nội vụ, lịch nghỉ Tết Bính Ngọ 2026'),
  ('2026-02-20', 'holiday', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết)', false, 'Bộ Nội vụ, lịch nghỉ Tết Bính Ngọ 2026'),
  ('2026-04-27', 'holiday', 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch là Chủ nhật 26/4)', 'Hùng Kings'' Commemoration (in lieu of Sunday 26 April)', false, 'Bộ luật Lao động 2019, Điều 111–112'),
  ('2026-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', false, 'Bộ luật Lao động 2019, Điều 112'),
  ('2026-05-01', 'holiday', 'Ngày Quốc tế Lao động', 'International Labour Day', false, 'Bộ luật Lao động 2019, Điều 112'),
  ('2026-08-22', 'working_day', 'Làm bù cho ngày 31/8', 'Working Saturday (for 31 August)', false, 'Bộ Nội vụ, lịch nghỉ Quốc khánh 2026'),
  ('2026-08-31', 'holiday', 'Nghỉ hoán đổi Quốc khánh', 'National Day (swapped day off)', false, 'Bộ Nội vụ, lịch nghỉ Quốc khánh 2026'),
  ('2026-09-01', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)', false, 'Bộ Nội vụ, lịch nghỉ Quốc khánh 2026'),
  ('2026-09-02', 'holiday', 'Quốc khánh', 'National Day', false, 'Bộ Nội vụ, lịch nghỉ Quốc khánh 2026'),
  ('2027-01-01', 'holiday', 'Tết Dương lịch', 'New Year''s Day', true, 'Bộ luật Lao động 2019, Điều 112'),
  ('2027-02-05', 'holiday', 'Tết Nguyên đán (29 tháng Chạp)', 'Lunar New Year (Tết)', true, 'Bộ luật Lao động 2019, Điều 112'),
  ('2027-02-08', 'holiday', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết)', true, 'Bộ luật Lao động 2019, Điều 112'),
  ('2027-02-09', 'holiday', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết)', true, 'Bộ luật Lao động 2019, Điều 112'),
  ('2027-02-10', 'holiday', 'Nghỉ bù Tết (mùng 1 là thứ Bảy)', 'Lunar New Year (in lieu of Saturday)', true, 'Bộ luật Lao động 2019, Điều 111–112'),
  ('2027-02-11', 'holiday', 'Nghỉ bù Tết (mùng 2 là Chủ nhật)', 'Lunar New Year (in lieu of Sunday)', true, 'Bộ luật Lao động 2019, Điều 111–112'),
  ('2027-04-16', 'holiday', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration', true, 'Bộ luật Lao động 2019, Điều 112'),
  ('2027-04-30', 'holiday', 'Ngày Chiến thắng', 'Reunification Day', true, 'Bộ luật Lao động 2019, Điều 112'),
  ('2027-05-03', 'holiday', 'Nghỉ bù Quốc tế Lao động (1/5 là thứ Bảy)', 'Labour Day (in lieu of Saturday)', true, 'Bộ luật Lao động 2019, Điều 111–112'),
  ('2027-09-02', 'holiday', 'Quốc khánh', 'National Day', true, 'Bộ luật Lao động 2019, Điều 112'),
  ('2027-09-03', 'holiday', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)', true, 'Bộ luật Lao động 2019, Điều 112');
