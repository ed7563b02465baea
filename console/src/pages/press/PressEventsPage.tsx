// Press conferences: create and change them, see who registered (and download the list for
// Excel), cancel one. Registration itself happens in the conversation.
import { Anchor, Badge, Button, Card, Group, Modal, NumberInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { PressEvent, PressRegistration } from '../../api/types';
import { formatDateTime, fromLocalInput, PageLoader, toLocalInput, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

interface EventForm {
  titleVi: string;
  titleEn: string;
  startsAt: string;
  registrationDeadline: string;
  place: string;
  topic: string;
  agencies: string;
  capacity: number | string;
  onlineLink: string;
}

const emptyForm: EventForm = { titleVi: '', titleEn: '', startsAt: '', registrationDeadline: '', place: '', topic: '', agencies: '', capacity: '', onlineLink: '' };

const formOf = (e: PressEvent): EventForm => ({
  titleVi: e.titleVi,
  titleEn: e.titleEn,
  startsAt: toLocalInput(e.startsAt),
  registrationDeadline: toLocalInput(e.registrationDeadline),
  place: e.place,
  topic: e.topic ?? '',
  agencies: e.agencies.join(', '),
  capacity: e.capacity ?? '',
  onlineLink: e.onlineLink ?? '',
});

const bodyOf = (f: EventForm) => ({
  titleVi: f.titleVi,
  titleEn: f.titleEn,
  startsAt: fromLocalInput(f.startsAt),
  registrationDeadline: fromLocalInput(f.registrationDeadline),
  place: f.place,
  topic: f.topic.trim() || null,
  agencies: f.agencies.split(',').map((s) => s.trim()).filter(Boolean),
  capacity: f.capacity === '' ? null : Number(f.capacity),
  onlineLink: f.onlineLink.trim() || null,
});

function EventFormModal({ event, opened, onClose, onSaved }: { event: PressEvent | null; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<EventForm>(event ? formOf(event) : emptyForm);
  const { busy, run } = useAction();
  const set = (k: keyof EventForm) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const save = () =>
    run(
      'save',
      async () => {
        if (event) await api.patch(`/press/events/${event.id}`, bodyOf(form));
        else await api.post('/press/events', bodyOf(form));
        onSaved();
        onClose();
      },
      t('press.events.saved'),
    );
  return (
    <Modal opened={opened} onClose={onClose} title={event ? t('press.events.edit') : t('press.events.create')} size="lg">
      <form onSubmit={(e) => (e.preventDefault(), void save())} data-testid="event-form">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('press.events.titleVi')} value={form.titleVi} onChange={set('titleVi')} required />
            <TextInput label={t('press.events.titleEn')} value={form.titleEn} onChange={set('titleEn')} required />
            <TextInput type="datetime-local" label={t('press.events.startsAt')} value={form.startsAt} onChange={set('startsAt')} required />
            <TextInput type="datetime-local" label={t('press.events.deadline')} value={form.registrationDeadline} onChange={set('registrationDeadline')} required />
          </SimpleGrid>
          <TextInput label={t('press.events.place')} value={form.place} onChange={set('place')} required />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('press.events.topic')} value={form.topic} onChange={set('topic')} />
            <NumberInput label={t('press.events.capacity')} description={t('press.events.capacityHint')} value={form.capacity} onChange={(v) => setForm({ ...form, capacity: v })} min={1} allowDecimal={false} />
          </SimpleGrid>
          <TextInput label={t('press.events.agencies')} description={t('press.events.agenciesHint')} value={form.agencies} onChange={set('agencies')} />
          <TextInput type="url" label={t('press.events.onlineLink')} value={form.onlineLink} onChange={set('onlineLink')} placeholder="https://" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy === 'save'} data-testid="event-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PressEventsPage() {
  const { t, i18n } = useTranslation();
  const events = useApiData<PressEvent[]>('/press/events');
  const [editing, setEditing] = useState<PressEvent | 'new' | null>(null);
  const title = (e: PressEvent) => (i18n.language === 'en' ? e.titleEn : e.titleVi);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('press.events.title')}</Title>
        <Button onClick={() => setEditing('new')} data-testid="event-new">
          {t('press.events.create')}
        </Button>
      </Group>
      <ErrorAlert error={events.error} />
      {!events.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="press-events">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('press.events.name')}</Table.Th>
                <Table.Th>{t('press.events.startsAt')}</Table.Th>
                <Table.Th>{t('press.events.place')}</Table.Th>
                <Table.Th>{t('press.events.registered')}</Table.Th>
                <Table.Th>{t('press.events.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/press/events/${e.id}`}>
                      {title(e)}
                    </Anchor>
                    {e.cancelledAt && (
                      <Badge color="gray" ml="xs">
                        {t('press.events.cancelled')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(e.startsAt, i18n.language)}</Table.Td>
                  <Table.Td>{e.place}</Table.Td>
                  <Table.Td>{e.capacity ? `${e.registered ?? 0} / ${e.capacity}` : (e.registered ?? 0)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setEditing(e)} disabled={Boolean(e.cancelledAt)} aria-label={t('press.events.editName', { name: title(e) })}>
                      {t('press.events.edit')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
              {events.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>{t('press.events.none')}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <EventFormModal
          key={editing === 'new' ? 'new' : editing.id}
          event={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
          onSaved={() => void events.reload()}
        />
      )}
    </Stack>
  );
}

export function PressEventPage() {
  const { t, i18n } = useTranslation();
  const id = useParams().id!;
  const event = useApiData<PressEvent>(`/press/events/${id}`);
  const registrations = useApiData<PressRegistration[]>(`/press/events/${id}/registrations`);
  const [editing, setEditing] = useState(false);
  const { busy, run } = useAction();
  if (event.error) return <ErrorAlert error={event.error} />;
  if (!event.data) return <PageLoader />;
  const e = event.data;
  const active = (registrations.data ?? []).filter((r) => !r.cancelledAt);
  const cancel = () =>
    run('cancel', async () => {
      if (!window.confirm(t('press.events.cancelConfirm'))) return;
      await api.delete(`/press/events/${id}`);
      await event.reload();
    });

  return (
    <Stack>
      <Anchor component={Link} to="/press/events">
        {t('press.events.back')}
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{i18n.language === 'en' ? e.titleEn : e.titleVi}</Title>
        <Group wrap="wrap">
          <Button variant="default" onClick={() => setEditing(true)} disabled={Boolean(e.cancelledAt)}>
            {t('press.events.edit')}
          </Button>
          <Button color="red" variant="light" onClick={() => void cancel()} loading={busy === 'cancel'} disabled={Boolean(e.cancelledAt)}>
            {t('press.events.cancel')}
          </Button>
        </Group>
      </Group>
      <Card withBorder>
        <Text>
          {formatDateTime(e.startsAt, i18n.language)} · {e.place}
        </Text>
        <Text size="sm" c="dimmed">
          {t('press.events.deadline')}: {formatDateTime(e.registrationDeadline, i18n.language)}
          {e.capacity ? ` · ${t('press.events.capacity')}: ${e.capacity}` : ''}
        </Text>
        {e.onlineLink && (
          <Anchor href={e.onlineLink} target="_blank" rel="noreferrer" size="sm">
            {e.onlineLink}
          </Anchor>
        )}
        {e.cancelledAt && <Badge color="gray">{t('press.events.cancelled')}</Badge>}
      </Card>
      <Group justify="space-between" wrap="wrap">
        <Title order={3}>{t('press.events.registrants', { count: active.length })}</Title>
        <Anchor href={`/api/press/events/${id}/registrations.csv`} download data-testid="registrations-csv">
          {t('press.events.csv')}
        </Anchor>
      </Group>
      <ErrorAlert error={registrations.error} />
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="registrations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('press.profiles.name')}</Table.Th>
              <Table.Th>{t('press.profiles.newsroom')}</Table.Th>
              <Table.Th>{t('press.profiles.card')}</Table.Th>
              <Table.Th>{t('press.events.registeredAt')}</Table.Th>
              <Table.Th>{t('press.profiles.state')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(registrations.data ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.profile?.name ?? '—'}</Table.Td>
                <Table.Td>{r.profile?.newsroom ?? '—'}</Table.Td>
                <Table.Td>{r.profile?.pressCardNumber ?? '—'}</Table.Td>
                <Table.Td>{formatDateTime(r.registeredAt, i18n.language)}</Table.Td>
                <Table.Td>
                  {r.cancelledAt ? (
                    <Badge color="gray">{t('press.events.registrationCancelled')}</Badge>
                  ) : r.profile?.verifiedAt ? (
                    <Badge color="green">{t('press.profiles.verified')}</Badge>
                  ) : (
                    <Badge color="yellow">{t('press.profiles.unverified')}</Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
            {registrations.data?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>{t('press.events.noRegistrants')}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <EventFormModal event={e} opened onClose={() => setEditing(false)} onSaved={() => void event.reload()} />}
    </Stack>
  );
}
