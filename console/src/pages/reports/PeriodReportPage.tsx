// The period report a press center publishes (month, quarter or year): requests and questions
// answered, online-service support handled, press requests, comments per draft, press conferences;
// as a table here, as CSV and as a printable page the server renders.
import { Anchor, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeriodKind, PeriodReport } from '../../api/types';
import { withQuery } from '../../api/client';
import { formatDate, PageLoader, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

export function PeriodReportPage() {
  const { t, i18n } = useTranslation();
  const now = new Date();
  const [kind, setKind] = useState<PeriodKind>('month');
  const [year, setYear] = useState(now.getFullYear());
  const [month, setMonth] = useState(now.getMonth() + 1);
  const [quarter, setQuarter] = useState(Math.floor(now.getMonth() / 3) + 1);
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const query = { period: kind, year, number: kind === 'month' ? month : kind === 'quarter' ? quarter : undefined };
  const report = useApiData<PeriodReport>('/reports/period', query);
  const r = report.data;
  const years = Array.from({ length: 6 }, (_, i) => String(now.getFullYear() - i));
  const rows: Array<[string, number, number | null]> = r
    ? [
        [t('reports.requests'), r.requests.received, r.requests.answered],
        [t('reports.questions'), r.questions.received, r.questions.answered],
        [t('reports.onlineSupport'), r.onlineSupport.received, r.onlineSupport.handled],
        [t('reports.pressRequests'), r.pressRequests.received, r.pressRequests.answered],
      ]
    : [];

  return (
    <Stack>
      <Title order={2}>{t('reports.title')}</Title>
      <Group wrap="wrap" align="flex-end">
        <SegmentedControl
          aria-label={t('reports.kind')}
          value={kind}
          onChange={(v) => setKind(v as PeriodKind)}
          data={(['month', 'quarter', 'year'] as const).map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))}
          data-testid="report-kind"
        />
        <Select label={t('reports.year')} data={years} value={String(year)} onChange={(v) => v && setYear(Number(v))} allowDeselect={false} w={110} />
        {kind === 'month' && (
          <Select
            label={t('reports.month')}
            data={Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: t('reports.monthN', { n: i + 1 }) }))}
            value={String(month)}
            onChange={(v) => v && setMonth(Number(v))}
            allowDeselect={false}
            w={140}
          />
        )}
        {kind === 'quarter' && (
          <Select
            label={t('reports.quarter')}
            data={[1, 2, 3, 4].map((n) => ({ value: String(n), label: t('reports.quarterN', { n }) }))}
            value={String(quarter)}
            onChange={(v) => v && setQuarter(Number(v))}
            allowDeselect={false}
            w={140}
          />
        )}
      </Group>
      <Group wrap="wrap">
        <Anchor href={withQuery('/api/reports/period.csv', { ...query, lang })} download data-testid="report-csv">
          {t('reports.csv')}
        </Anchor>
        <Anchor href={withQuery('/api/reports/period/print', { ...query, lang })} target="_blank" data-testid="report-print">
          {t('reports.print')}
        </Anchor>
      </Group>
      <ErrorAlert error={report.error} />
      {!r ? (
        !report.error && <PageLoader />
      ) : (
        <>
          <Text c="dimmed">{t('reports.range', { from: formatDate(`${r.period.from}T00:00:00`, i18n.language), to: formatDate(`${r.period.to}T00:00:00`, i18n.language) })}</Text>
          <Table.ScrollContainer minWidth={360}>
            <Table striped data-testid="report-table">
              <Table.Caption>{t('reports.figures')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.figure')}</Table.Th>
                  <Table.Th>{t('reports.received')}</Table.Th>
                  <Table.Th>{t('reports.answered')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map(([name, received, answered]) => (
                  <Table.Tr key={name}>
                    <Table.Th scope="row">{name}</Table.Th>
                    <Table.Td>{received}</Table.Td>
                    <Table.Td>{answered}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Title order={3}>{t('reports.drafts', { total: r.draftComments.total })}</Title>
          <Table.ScrollContainer minWidth={360}>
            <Table striped data-testid="report-drafts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.draft')}</Table.Th>
                  <Table.Th>{t('reports.agency')}</Table.Th>
                  <Table.Th>{t('reports.comments')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.draftComments.drafts.map((d) => (
                  <Table.Tr key={d.draftId}>
                    <Table.Td>{lang === 'en' ? d.titleEn : d.titleVi}</Table.Td>
                    <Table.Td>{d.agency}</Table.Td>
                    <Table.Td>{d.comments}</Table.Td>
                  </Table.Tr>
                ))}
                {r.draftComments.drafts.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={3}>{t('reports.none')}</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Title order={3}>{t('reports.conferences', { held: r.pressConferences.held, registrants: r.pressConferences.registrants })}</Title>
          <Table.ScrollContainer minWidth={360}>
            <Table striped data-testid="report-conferences">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.conference')}</Table.Th>
                  <Table.Th>{t('reports.date')}</Table.Th>
                  <Table.Th>{t('reports.registrants')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.pressConferences.events.map((e) => (
                  <Table.Tr key={e.eventId}>
                    <Table.Td>{lang === 'en' ? e.titleEn : e.titleVi}</Table.Td>
                    <Table.Td>{formatDate(e.startsAt, i18n.language)}</Table.Td>
                    <Table.Td>{e.registrants}</Table.Td>
                  </Table.Tr>
                ))}
                {r.pressConferences.events.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={3}>{t('reports.none')}</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
