// The working-hour calendar (admins): holidays and swapped working days of a year, and the weekly
// office hours deadlines are counted in. Changes apply to new deadlines at once.
import { ActionIcon, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CalendarDay, WorkingWindow } from '../../api/types';
import { PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const minutesOf = (text: string) => {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

function WeeklyHours() {
  const { t } = useTranslation();
  const hours = useApiData<WorkingWindow[]>('/admin/calendar/hours');
  const [windows, setWindows] = useState<WorkingWindow[]>([]);
  const { busy, run } = useAction();
  useEffect(() => setWindows(hours.data ?? []), [hours.data]);
  const update = (i: number, patch: Partial<WorkingWindow>) => setWindows(windows.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const save = () =>
    run('hours', async () => {
      await api.put('/admin/calendar/hours', { windows });
      await hours.reload();
    }, t('admin.saved'));
  if (hours.error) return <ErrorAlert error={hours.error} />;
  if (!hours.data) return <PageLoader />;
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>{t('admin.calendar.hours')}</Title>
        {WEEKDAYS.map((day) => (
          <Group key={day} wrap="wrap" align="flex-end">
            <Text w={110} fw={500}>
              {t(`admin.calendar.weekdays.${day}`)}
            </Text>
            {windows.map((w, i) =>
              w.weekday !== day ? null : (
                <Group key={i} gap={4} wrap="nowrap" align="flex-end">
                  <TextInput type="time" label={t('admin.calendar.opens')} value={hhmm(w.opensAt)} onChange={(e) => update(i, { opensAt: minutesOf(e.currentTarget.value) })} w={130} />
                  <TextInput type="time" label={t('admin.calendar.closes')} value={hhmm(w.closesAt)} onChange={(e) => update(i, { closesAt: minutesOf(e.currentTarget.value) })} w={130} />
                  <ActionIcon variant="subtle" color="red" mb={4} onClick={() => setWindows(windows.filter((_, j) => j !== i))} aria-label={t('admin.calendar.removeWindow', { day: t(`admin.calendar.weekdays.${day}`) })}>
                    ×
                  </ActionIcon>
                </Group>
              ),
            )}
            <Button size="xs" variant="subtle" onClick={() => setWindows([...windows, { weekday: day, opensAt: 450, closesAt: 690 }])} aria-label={t('admin.calendar.addWindowDay', { day: t(`admin.calendar.weekdays.${day}`) })}>
              {t('admin.calendar.addWindow')}
            </Button>
          </Group>
        ))}
        <Group>
          <Button onClick={() => void save()} loading={busy === 'hours'} disabled={windows.length === 0}>
            {t('admin.calendar.saveHours')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function AdminCalendarPage() {
  const { t, i18n } = useTranslation();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const days = useApiData<CalendarDay[]>('/admin/calendar/days', { year });
  const empty = { date: '', kind: 'holiday', name: '', nameEn: '' };
  const [form, setForm] = useState(empty);
  const { busy, run } = useAction();
  const add = () =>
    run('add', async () => {
      const { date, ...body } = form;
      await api.put(`/admin/calendar/days/${date}`, body);
      setForm(empty);
      await days.reload();
    }, t('admin.saved'));
  const remove = (d: CalendarDay) =>
    run(d.date, async () => {
      await api.delete(`/admin/calendar/days/${d.date}`);
      await days.reload();
    }, t('admin.saved'));
  return (
    <Stack>
      <Title order={2}>{t('admin.calendar.title')}</Title>
      <Select
        label={t('admin.calendar.year')}
        data={[thisYear - 1, thisYear, thisYear + 1].map(String)}
        value={year}
        onChange={(v) => setYear(v ?? String(thisYear))}
        allowDeselect={false}
        maw={160}
      />
      <ErrorAlert error={days.error} />
      {!days.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="calendar-days">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.calendar.date')}</Table.Th>
                <Table.Th>{t('admin.calendar.name')}</Table.Th>
                <Table.Th>{t('admin.calendar.kind')}</Table.Th>
                <Table.Th>{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {days.data.map((d) => (
                <Table.Tr key={d.date}>
                  <Table.Td>{new Date(`${d.date}T00:00:00Z`).toLocaleDateString(i18n.language === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'UTC', weekday: 'short', day: '2-digit', month: '2-digit' })}</Table.Td>
                  <Table.Td>
                    {i18n.language === 'en' ? d.nameEn : d.name}
                    {d.provisional && (
                      <Badge ml="xs" color="yellow" variant="light">
                        {t('admin.calendar.provisional')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`admin.calendar.kinds.${d.kind}`)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" color="red" variant="light" loading={busy === d.date} onClick={() => void remove(d)} aria-label={t('admin.deleteName', { name: d.date })}>
                      {t('admin.delete')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void add())}>
        <Stack>
          <Title order={3}>{t('admin.calendar.add')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput type="date" label={t('admin.calendar.date')} value={form.date} onChange={(e) => setForm({ ...form, date: e.currentTarget.value })} required />
            <Select
              label={t('admin.calendar.kind')}
              data={['holiday', 'working_day'].map((k) => ({ value: k, label: t(`admin.calendar.kinds.${k}`) }))}
              value={form.kind}
              onChange={(v) => setForm({ ...form, kind: v ?? 'holiday' })}
              allowDeselect={false}
            />
            <TextInput label={t('admin.calendar.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required />
            <TextInput label={t('admin.calendar.nameEn')} value={form.nameEn} onChange={(e) => setForm({ ...form, nameEn: e.currentTarget.value })} required />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy === 'add'} disabled={!form.date}>
              {t('admin.calendar.addSubmit')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <WeeklyHours />
    </Stack>
  );
}
