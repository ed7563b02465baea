// Announcements to subscribers: write one (both languages), publish it (the fan-out goes on in
// batches on the server), stop it; the delivery counts refresh while a fan-out runs.
import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { SUBSCRIPTION_TOPICS, type Announcement } from '../../api/types';
import { formatDateTime, PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

/** How often the counts of a running announcement are read again. */
const REFRESH_MS = 3000;

const running = (a: Announcement) => Boolean(a.publishedAt) && !a.stoppedAt && (!a.fannedOutAt || (a.counts?.pending ?? 0) > 0);

function AnnouncementRow({ initial, onChanged }: { initial: Announcement; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [a, setA] = useState(initial);
  const { busy, run } = useAction();
  useEffect(() => setA((current) => ({ ...initial, counts: current.counts })), [initial]);
  const refresh = async () => setA(await api.get<Announcement>(`/press/announcements/${a.id}`));
  useEffect(() => {
    if (a.publishedAt && !a.counts) void refresh().catch(() => undefined);
    if (!running(a)) return;
    const timer = setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);
    return () => clearInterval(timer);
  }, [a.id, a.publishedAt, a.fannedOutAt, a.stoppedAt, a.counts?.pending]);
  const title = i18n.language === 'en' ? a.titleEn : a.titleVi;
  const publish = () =>
    run('publish', async () => {
      if (!window.confirm(t('press.announcements.publishConfirm'))) return;
      await api.post(`/press/announcements/${a.id}/publish`);
      await refresh();
      onChanged();
    });
  const stop = () =>
    run('stop', async () => {
      await api.post(`/press/announcements/${a.id}/stop`);
      await refresh();
      onChanged();
    }, t('press.announcements.stopped'));
  const c = a.counts;
  return (
    <Table.Tr data-testid="announcement">
      <Table.Td>
        <Text fw={500}>{title}</Text>
        <Text size="xs" c="dimmed">
          {t(`press.topics.${a.topic}`)} · {formatDateTime(a.createdAt, i18n.language)}
        </Text>
      </Table.Td>
      <Table.Td>
        {a.stoppedAt ? (
          <Badge color="gray">{t('press.announcements.stateStopped')}</Badge>
        ) : a.publishedAt ? (
          <Badge color={running(a) ? 'blue' : 'green'}>{running(a) ? t('press.announcements.stateSending') : t('press.announcements.statePublished')}</Badge>
        ) : (
          <Badge color="yellow">{t('press.announcements.stateDraft')}</Badge>
        )}
      </Table.Td>
      <Table.Td data-testid="announcement-counts">
        {c ? t('press.announcements.counts', { ...c }) : a.publishedAt ? t('common.loading') : '—'}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="wrap">
          {!a.publishedAt && (
            <Button size="xs" onClick={() => void publish()} loading={busy === 'publish'} aria-label={t('press.announcements.publishName', { name: title })} data-testid="announcement-publish">
              {t('press.announcements.publish')}
            </Button>
          )}
          {a.publishedAt && !a.stoppedAt && (
            <Button size="xs" color="red" variant="light" onClick={() => void stop()} loading={busy === 'stop'} aria-label={t('press.announcements.stopName', { name: title })}>
              {t('press.announcements.stop')}
            </Button>
          )}
          {a.publishedAt && (
            <Button size="xs" variant="default" onClick={() => void refresh()} aria-label={t('press.announcements.refreshName', { name: title })}>
              {t('press.announcements.refresh')}
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

export function PressAnnouncementsPage() {
  const { t } = useTranslation();
  const list = useApiData<Announcement[]>('/press/announcements');
  const empty = { topic: 'press_releases', titleVi: '', titleEn: '', bodyVi: '', bodyEn: '' };
  const [form, setForm] = useState(empty);
  const { busy, run } = useAction();
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const create = () =>
    run('create', async () => {
      await api.post('/press/announcements', form);
      setForm(empty);
      await list.reload();
    }, t('press.announcements.created'));

  return (
    <Stack>
      <Title order={2}>{t('press.announcements.title')}</Title>
      <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void create())} data-testid="announcement-form">
        <Stack>
          <Title order={3}>{t('press.announcements.compose')}</Title>
          <Select
            label={t('press.announcements.topic')}
            data={SUBSCRIPTION_TOPICS.map((topic) => ({ value: topic, label: t(`press.topics.${topic}`) }))}
            value={form.topic}
            onChange={(v) => setForm({ ...form, topic: v ?? 'press_releases' })}
            allowDeselect={false}
            maw={360}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('press.announcements.titleVi')} value={form.titleVi} onChange={set('titleVi')} required />
            <TextInput label={t('press.announcements.titleEn')} value={form.titleEn} onChange={set('titleEn')} required />
            <Textarea label={t('press.announcements.bodyVi')} value={form.bodyVi} onChange={set('bodyVi')} autosize minRows={3} required />
            <Textarea label={t('press.announcements.bodyEn')} value={form.bodyEn} onChange={set('bodyEn')} autosize minRows={3} required />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy === 'create'} data-testid="announcement-create">
              {t('press.announcements.create')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <ErrorAlert error={list.error} />
      {!list.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="announcements">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('press.announcements.name')}</Table.Th>
                <Table.Th>{t('press.announcements.state')}</Table.Th>
                <Table.Th>{t('press.announcements.delivery')}</Table.Th>
                <Table.Th>{t('press.events.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((a) => (
                <AnnouncementRow key={a.id} initial={a} onChanged={() => void list.reload()} />
              ))}
              {list.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>{t('press.announcements.none')}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
