// One ticket: where it stands (status, priority, deadlines, agency, who works on it), why it went
// where it is (classification and routing), the person, the messages, the history and the actions.
// A ticket outside the staff member's inbox (another agency's) gets a plain "not allowed" page:
// the API answers 404 for it, so that codes cannot be probed.
import { Anchor, Badge, Box, Grid, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api/client';
import type { Agency, TicketDetail } from '../api/types';
import { useLiveEvents } from '../app/live';
import { useMe } from '../app/session';
import { ErrorAlert } from '../components/errors';
import { formatDateTime } from '../components/data';
import { Deadline, PriorityBadge, StatusBadge } from '../components/ticket-bits';
import { useApi } from '../hooks/useApi';
import { Actions, type Colleague } from './ticket/Actions';
import { History } from './ticket/History';
import { Coordinates, Messages } from './ticket/Messages';

const PlaceMap = lazy(() => import('../components/PlaceMap'));

const DONE = new Set(['answered', 'closed', 'duplicate', 'rejected']);

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

export function NotAllowed({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <Stack data-testid="ticket-not-allowed" role="alert">
      <Title order={2}>{t('ticketView.notAllowedTitle')}</Title>
      <Text>{t('ticketView.notAllowedText', { code })}</Text>
      <Anchor component={Link} to="/inbox">
        {t('ticketView.backToInbox')}
      </Anchor>
    </Stack>
  );
}

export function TicketPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { code = '' } = useParams();
  const path = `/tickets/${encodeURIComponent(code)}`;
  const detail = useApi((signal) => api.get<TicketDetail>(path, undefined, { signal }), [path]);
  const agencies = useApi((signal) => api.get<Agency[]>('/agencies', undefined, { signal }), []);
  const colleagues = useApi(
    (signal) =>
      api.get<Colleague[]>(`${path}/colleagues`, undefined, { signal }).catch((err: unknown) => {
        // Not there (a hotline without the route) or not for this viewer: no one to pick.
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return [];
        throw err;
      }),
    [path, detail.data?.ticket.agencyId],
  );
  useLiveEvents((e) => {
    if (e.ticketCode && e.ticketCode.toUpperCase() === code.toUpperCase()) detail.reload();
  });

  const err = detail.error;
  if (err instanceof ApiError && (err.status === 404 || err.status === 403) && (err.code === 'ticket_not_found' || err.status === 403)) {
    return <NotAllowed code={code} />;
  }
  if (err && !detail.data) return <ErrorAlert error={err} />;
  if (!detail.data) return <Loader aria-label={t('common.loading')} />;

  const d = detail.data;
  const tk = d.ticket;
  const people = new Map([...Object.entries(d.staffNames ?? {}), ...(colleagues.data ?? []).map((c) => [c.id, c.displayName] as const)]);
  people.set(me.id, me.displayName);
  const reload = () => {
    detail.reload();
    colleagues.reload();
  };
  const agencyName = tk.agency ? (i18n.language === 'en' && tk.agency.nameEn ? tk.agency.nameEn : tk.agency.name) : t('ticket.noAgency');

  return (
    <Stack data-testid="ticket-view" data-code={tk.trackingCode} data-status={tk.status}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Title order={2}>{tk.trackingCode}</Title>
          <PriorityBadge priority={tk.priority} />
          <StatusBadge status={tk.status} />
          {tk.overdue && (
            <Badge color="red" variant="filled">
              {t('ticket.overdue')}
            </Badge>
          )}
          {tk.onlineSupport && <Badge variant="outline">{t('ticket.onlineSupport')}</Badge>}
        </Group>
        <Anchor component={Link} to="/inbox" size="sm">
          {t('ticketView.backToInbox')}
        </Anchor>
      </Group>
      <ErrorAlert error={detail.error} />
      {tk.duplicateOfCode && (
        <Text>
          {t('ticketView.duplicateOf')}{' '}
          <Anchor component={Link} to={`/tickets/${tk.duplicateOfCode}`}>
            {tk.duplicateOfCode}
          </Anchor>
        </Text>
      )}
      <Text fw={500} style={{ overflowWrap: 'anywhere' }} data-testid="ticket-summary">
        {tk.summary}
      </Text>

      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Paper withBorder p="sm">
              <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
                <Field label={t('ticketView.answerDue')} testId="answer-due">
                  <Deadline dueAt={tk.dueAt} overdue={tk.overdue} done={DONE.has(tk.status)} /> ({formatDateTime(tk.dueAt, i18n.language)})
                </Field>
                <Field label={t('ticketView.acceptDue')}>{formatDateTime(tk.acceptDueAt, i18n.language)}</Field>
                <Field label={t('ticketView.agency')} testId="ticket-agency">
                  {agencyName}
                </Field>
                <Field label={t('ticketView.assignee')} testId="ticket-assignee">
                  {tk.assigneeId ? (people.get(tk.assigneeId) ?? t('ticketView.staffMember')) : t('ticket.nobody')}
                </Field>
                <Field label={t('ticketView.classification')} testId="classification">
                  {tk.intent ? t(`intents.${tk.intent}`, { defaultValue: tk.intent }) : t('ticketView.unclassified')}
                  {' · '}
                  {tk.topic ? t(`topics.${tk.topic}`, { defaultValue: tk.topic }) : t('ticket.noTopic')}
                  {tk.confidence !== null ? ` · ${t('ticketView.confidence', { value: Math.round(tk.confidence * 100) })}` : ''}
                </Field>
                <Field label={t('ticketView.routing')} testId="routing">
                  {tk.routingReason || '—'}
                  {tk.routingRule ? ` (${t('ticketView.rule', { name: tk.routingRule.name })})` : tk.routingRuleId ? '' : ` (${t('ticketView.noRule')})`}
                </Field>
                <Field label={t('ticketView.opened')}>
                  {formatDateTime(tk.createdAt, i18n.language)} · {t(`channels.${tk.channel}`)}
                </Field>
                <Field label={t('ticketView.person')} testId="contact">
                  {d.contact.displayName ?? t('ticketView.anonymous')}
                  {d.contact.phone ? ` · ${d.contact.phone}` : ''}
                </Field>
                {(tk.place || (tk.latitude !== null && tk.longitude !== null)) && (
                  <Field label={t('ticketView.place')} testId="place">
                    {tk.place}
                    {tk.latitude !== null && tk.longitude !== null && (
                      <>
                        {tk.place ? ' · ' : ''}
                        <Coordinates latitude={tk.latitude} longitude={tk.longitude} />
                      </>
                    )}
                  </Field>
                )}
              </SimpleGrid>
              {tk.latitude !== null && tk.longitude !== null && (
                <Suspense fallback={null}>
                  <Box mt="sm">
                    <PlaceMap latitude={tk.latitude} longitude={tk.longitude} label={t('ticketView.map')} />
                  </Box>
                </Suspense>
              )}
              {d.personalDataHidden && (
                <Text size="xs" c="dimmed" mt="xs">
                  {t('ticketView.personalDataHidden')}
                </Text>
              )}
            </Paper>

            <Title order={3} size="h4">
              {t('ticketView.messages')}
            </Title>
            <Messages messages={d.messages} ticketId={tk.id} people={people} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <Paper withBorder p="sm">
              <Title order={3} size="h4" mb="xs">
                {t('ticketView.actions')}
              </Title>
              <Actions detail={d} me={me} agencies={agencies.data ?? []} colleagues={colleagues.data ?? []} onChanged={reload} />
            </Paper>
            <Paper withBorder p="sm">
              <Title order={3} size="h4" mb="xs">
                {t('ticketView.history')}
              </Title>
              <History events={d.events} agencies={agencies.data ?? []} people={people} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
