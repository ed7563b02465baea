// The dashboard: tickets per day by channel; by intent, topic and agency; on-time rate; median
// first-response and resolution times in working hours; backlog and overdue; ratings; online-service
// support. Each chart is drawn for the eye and given as a caption and a table for screen readers
// and keyboards (the chart itself is hidden from them: the table says the same).
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Card, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNELS, type Agency, type Dashboard } from '../../api/types';
import { useMe } from '../../app/session';
import { PageLoader, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

const CHANNEL_COLORS: Record<string, string> = { webchat: 'blue.6', zalo_oa: 'cyan.6', zalo_bot: 'teal.6', telegram: 'grape.6' };

const dayText = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** A chart with its caption (what it shows, in words) and the same figures as a table. */
function ChartCard({ title, summary, table, testId, children }: { title: string; summary: string; table: { head: string[]; rows: Array<Array<string | number>> }; testId: string; children: ReactNode }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Card withBorder component="figure" m={0} aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} data-testid={testId}>
      <Title order={3} size="h5" id={`${id}-title`}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" id={`${id}-summary`} component="figcaption" data-testid={`${testId}-summary`}>
        {summary}
      </Text>
      <div aria-hidden="true" className="dashboard-chart">
        {children}
      </div>
      <details>
        <summary>
          <Text span size="sm">
            {t('dashboard.asTable')}
          </Text>
        </summary>
        <Table.ScrollContainer minWidth={200}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                {table.head.map((h) => (
                  <Table.Th key={h}>{h}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {table.rows.map((r, i) => (
                <Table.Tr key={i}>
                  {r.map((c, j) => (
                    <Table.Td key={j}>{c}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </details>
    </Card>
  );
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const today = new Date();
  const [from, setFrom] = useState(dayText(new Date(today.getTime() - 29 * 86_400_000)));
  const [to, setTo] = useState(dayText(today));
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const cityWide = me.role !== 'agency_staff';
  const agencies = useApiData<Agency[]>(cityWide ? '/agencies' : null);
  const dash = useApiData<Dashboard>('/reports/dashboard', { from, to, agencyId: agencyId ?? undefined });
  const en = i18n.language === 'en';
  const num = (n: number) => n.toLocaleString(en ? 'en-GB' : 'vi-VN');
  const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toLocaleString(en ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 })}%`);
  const hours = (h: number | null) => (h === null ? '—' : t('dashboard.hours', { hours: h.toLocaleString(en ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 }) }));
  const label = (group: 'intents' | 'topics', key: string | null) => (key ? t(`${group}.${key}`, { defaultValue: key }) : t('dashboard.unclassified'));
  const d = dash.data;
  const top = (rows: Array<{ name: string; count: number }>) =>
    rows.length ? rows.slice(0, 3).map((r) => `${r.name} (${num(r.count)})`).join(', ') : t('dashboard.nothing');
  // Without accessibilityLayer recharts' svg takes no focus: it sits inside aria-hidden safely.
  const quiet = { accessibilityLayer: false } as const;

  return (
    <Stack>
      <Title order={2}>{t('dashboard.title')}</Title>
      <Group wrap="wrap" align="flex-end">
        <TextInput type="date" label={t('dashboard.from')} value={from} max={to} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
        <TextInput type="date" label={t('dashboard.to')} value={to} min={from} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
        {cityWide && (
          <Select
            label={t('dashboard.agency')}
            placeholder={t('dashboard.allAgencies')}
            data={(agencies.data ?? []).map((a) => ({ value: a.id, label: en ? a.nameEn : a.name }))}
            value={agencyId}
            onChange={setAgencyId}
            clearable
            searchable
          />
        )}
      </Group>
      <ErrorAlert error={dash.error} />
      {!d ? (
        !dash.error && <PageLoader />
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="dashboard-stats">
            <Stat testId="stat-tickets" label={t('dashboard.tickets')} value={num(d.totals.tickets)} hint={t('dashboard.answeredOf', { answered: num(d.totals.answered) })} />
            <Stat testId="stat-on-time" label={t('dashboard.onTime')} value={pct(d.onTime.rate)} hint={t('dashboard.onTimeOf', { onTime: num(d.onTime.onTime), due: num(d.onTime.due) })} />
            <Stat testId="stat-first-response" label={t('dashboard.firstResponse')} value={hours(d.firstResponse.medianWorkingHours)} hint={t('dashboard.medianOf', { count: d.firstResponse.count })} />
            <Stat testId="stat-resolution" label={t('dashboard.resolution')} value={hours(d.resolution.medianWorkingHours)} hint={t('dashboard.medianOf', { count: d.resolution.count })} />
            <Stat testId="stat-backlog" label={t('dashboard.backlog')} value={num(d.now.backlog)} hint={t('dashboard.now')} />
            <Stat testId="stat-overdue" label={t('dashboard.overdue')} value={num(d.now.overdue)} hint={t('dashboard.now')} />
            <Stat
              testId="stat-rating"
              label={t('dashboard.rating')}
              value={d.ratings.average === null ? '—' : `${d.ratings.average.toLocaleString(en ? 'en-GB' : 'vi-VN')} / 5`}
              hint={t('dashboard.ratings', { count: d.ratings.count })}
            />
            <Stat
              testId="stat-online"
              label={t('dashboard.onlineSupport')}
              value={num(d.onlineSupport.tickets)}
              hint={t('dashboard.onlineOf', { answered: num(d.onlineSupport.answered), share: pct(d.onlineSupport.share) })}
            />
          </SimpleGrid>

          <ChartCard
            testId="chart-per-day"
            title={t('dashboard.perDay')}
            summary={t('dashboard.perDaySummary', {
              total: num(d.totals.tickets),
              days: d.perDay.length,
              channels: CHANNELS.map((c) => `${t(`channels.${c}`)} ${num(d.perDay.reduce((n, r) => n + r[c], 0))}`).join(', '),
            })}
            table={{
              head: [t('dashboard.day'), ...CHANNELS.map((c) => t(`channels.${c}`)), t('dashboard.total')],
              rows: d.perDay.filter((r) => r.total > 0).map((r) => [r.date, ...CHANNELS.map((c) => r[c]), r.total]),
            }}
          >
            <BarChart
              h={260}
              data={d.perDay.map((r) => ({ ...r, date: r.date.slice(5) }))}
              dataKey="date"
              type="stacked"
              series={CHANNELS.map((c) => ({ name: c, label: t(`channels.${c}`), color: CHANNEL_COLORS[c]! }))}
              withLegend
              yAxisProps={{ allowDecimals: false }}
              barChartProps={quiet}
            />
          </ChartCard>

          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {(
              [
                ['chart-intent', t('dashboard.byIntent'), d.byIntent.map((r) => ({ name: label('intents', r.key), count: r.count })), 'indigo.6'],
                ['chart-topic', t('dashboard.byTopic'), d.byTopic.map((r) => ({ name: label('topics', r.key), count: r.count })), 'teal.6'],
                ['chart-agency', t('dashboard.byAgency'), d.byAgency.map((r) => ({ name: (en ? r.nameEn : r.name) ?? t('dashboard.noAgency'), count: r.count })), 'orange.6'],
              ] as const
            ).map(([testId, title, rows, color]) => (
              <ChartCard
                key={testId}
                testId={testId}
                title={title}
                summary={t('dashboard.topSummary', { top: top(rows) })}
                table={{ head: [t('dashboard.name'), t('dashboard.count')], rows: rows.map((r) => [r.name, r.count]) }}
              >
                <BarChart
                  h={Math.max(160, rows.length * 28)}
                  data={rows}
                  dataKey="name"
                  orientation="vertical"
                  yAxisProps={{ width: 140 }}
                  xAxisProps={{ allowDecimals: false }}
                  series={[{ name: 'count', label: t('dashboard.count'), color }]}
                  barChartProps={quiet}
                />
              </ChartCard>
            ))}
            <ChartCard
              testId="chart-ratings"
              title={t('dashboard.ratingsTitle')}
              summary={
                d.ratings.count
                  ? t('dashboard.ratingsSummary', { count: d.ratings.count, average: d.ratings.average })
                  : t('dashboard.nothing')
              }
              table={{ head: [t('dashboard.stars'), t('dashboard.count')], rows: (['5', '4', '3', '2', '1'] as const).map((s) => [s, d.ratings.distribution[s]]) }}
            >
              <BarChart
                h={180}
                data={(['1', '2', '3', '4', '5'] as const).map((s) => ({ stars: `${s}★`, count: d.ratings.distribution[s] }))}
                dataKey="stars"
                yAxisProps={{ allowDecimals: false }}
                series={[{ name: 'count', label: t('dashboard.count'), color: 'yellow.6' }]}
                barChartProps={quiet}
              />
            </ChartCard>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
