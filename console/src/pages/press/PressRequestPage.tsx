// One press request: what the reporter asked, the parts asked of other agencies and their answers,
// the consolidated answer sent to the reporter with the ticket's ordinary reply, and publishing the
// question and answer on /hoi-dap or /qa.
import { Anchor, Badge, Button, Card, Checkbox, Group, MultiSelect, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { Agency, Subtask, TicketDetail } from '../../api/types';
import { formatDateTime, fromLocalInput, PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

export function PressRequestPage() {
  const { t, i18n } = useTranslation();
  const code = useParams().code!;
  const detail = useApiData<TicketDetail>(`/tickets/${code}`);
  const subtasks = useApiData<Subtask[]>(`/tickets/${code}/subtasks`);
  const agencies = useApiData<Agency[]>('/agencies');
  const { busy, run } = useAction();

  const [askAgencies, setAskAgencies] = useState<string[]>([]);
  const [question, setQuestion] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [answer, setAnswer] = useState('');
  const [pubQuestion, setPubQuestion] = useState<string | null>(null);
  const [pubAnswer, setPubAnswer] = useState('');
  const [anonymised, setAnonymised] = useState(true);
  const [pubLocale, setPubLocale] = useState<string | null>(null);

  if (detail.error) return <ErrorAlert error={detail.error} />;
  if (!detail.data) return <PageLoader />;
  const ticket = detail.data.ticket;
  const parts = subtasks.data ?? [];

  const ask = () =>
    run(
      'ask',
      async () => {
        await api.post(`/tickets/${code}/subtasks`, { agencyIds: askAgencies, question, dueAt: fromLocalInput(dueAt) });
        setAskAgencies([]);
        setQuestion('');
        await Promise.all([subtasks.reload(), detail.reload()]);
      },
      t('press.request.asked'),
    );
  // The officer starts from the agencies' answers and edits them into one reply.
  const draftFromParts = () =>
    setAnswer(parts.filter((p) => p.answer).map((p) => `${p.agency.name}: ${p.answer}`).join('\n\n'));
  const send = () =>
    run(
      'reply',
      async () => {
        await api.post(`/tickets/${code}/replies`, { text: answer });
        setPubAnswer((current) => current || answer);
        setAnswer('');
        await detail.reload();
      },
      t('press.request.sent'),
    );
  const publish = () =>
    run(
      'publish',
      () =>
        api.post(`/tickets/${code}/publish`, {
          question: pubQuestion ?? ticket.summary,
          answer: pubAnswer,
          anonymised,
          ...(pubLocale ? { locale: pubLocale } : {}),
        }),
      t('press.request.published'),
    );

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('press.request.title', { code })}</Title>
        <Anchor component={Link} to={`/tickets/${code}`}>
          {t('press.request.openTicket')}
        </Anchor>
      </Group>
      <Card withBorder>
        <Text fw={500}>{ticket.summary}</Text>
        <Group gap="xs" mt="xs" wrap="wrap">
          <Badge variant="light">{t(`status.${ticket.status}`)}</Badge>
          <Text size="sm">
            {t('press.requests.due')}: {formatDateTime(ticket.dueAt, i18n.language)}
          </Text>
        </Group>
      </Card>

      <Title order={3}>{t('press.request.parts')}</Title>
      <ErrorAlert error={subtasks.error} />
      <Stack gap="xs" data-testid="subtasks">
        {parts.length === 0 && <Text c="dimmed">{t('press.request.noParts')}</Text>}
        {parts.map((p) => (
          <Card key={p.id} withBorder data-testid="subtask">
            <Group justify="space-between" wrap="wrap">
              <Text fw={500}>{p.agency.name}</Text>
              {p.answeredAt ? (
                <Badge color="green">{t('press.request.answeredAt', { at: formatDateTime(p.answeredAt, i18n.language) })}</Badge>
              ) : (
                <Badge color="yellow">{t('press.request.waiting', { at: formatDateTime(p.dueAt, i18n.language) })}</Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {p.question}
            </Text>
            {p.answer && <Text style={{ whiteSpace: 'pre-wrap' }}>{p.answer}</Text>}
          </Card>
        ))}
      </Stack>

      <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void ask())}>
        <Stack>
          <Title order={4}>{t('press.request.ask')}</Title>
          <MultiSelect
            label={t('press.request.askAgencies')}
            data={(agencies.data ?? []).filter((a) => !a.isTriage).map((a) => ({ value: a.id, label: a.name }))}
            value={askAgencies}
            onChange={setAskAgencies}
            searchable
            required
          />
          <Textarea label={t('press.request.question')} value={question} onChange={(e) => setQuestion(e.currentTarget.value)} autosize minRows={2} required />
          <TextInput type="datetime-local" label={t('press.request.dueAt')} description={t('press.request.dueAtHint')} value={dueAt} onChange={(e) => setDueAt(e.currentTarget.value)} />
          <Group>
            <Button type="submit" loading={busy === 'ask'} disabled={askAgencies.length === 0 || !question.trim()}>
              {t('press.request.askSubmit')}
            </Button>
          </Group>
        </Stack>
      </Card>

      <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void send())}>
        <Stack>
          <Title order={4}>{t('press.request.answer')}</Title>
          <Textarea label={t('press.request.answerText')} value={answer} onChange={(e) => setAnswer(e.currentTarget.value)} autosize minRows={4} required />
          <Group wrap="wrap">
            <Button variant="default" onClick={draftFromParts} disabled={!parts.some((p) => p.answer)}>
              {t('press.request.fromParts')}
            </Button>
            <Button type="submit" loading={busy === 'reply'} disabled={!answer.trim()}>
              {t('press.request.send')}
            </Button>
          </Group>
        </Stack>
      </Card>

      <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void publish())}>
        <Stack>
          <Title order={4}>{t('press.request.publish')}</Title>
          <Text size="sm" c="dimmed">
            {t('press.request.publishHint')}
          </Text>
          <Textarea label={t('press.request.pubQuestion')} value={pubQuestion ?? ticket.summary} onChange={(e) => setPubQuestion(e.currentTarget.value)} autosize minRows={2} required />
          <Textarea label={t('press.request.pubAnswer')} value={pubAnswer} onChange={(e) => setPubAnswer(e.currentTarget.value)} autosize minRows={3} required />
          <Checkbox label={t('press.request.anonymised')} checked={anonymised} onChange={(e) => setAnonymised(e.currentTarget.checked)} />
          <Select
            label={t('press.request.pubLocale')}
            data={[
              { value: 'vi', label: t('press.request.localeVi') },
              { value: 'en', label: t('press.request.localeEn') },
            ]}
            value={pubLocale}
            onChange={setPubLocale}
            clearable
            placeholder={t('press.request.localePerson')}
            maw={320}
          />
          <Group>
            <Button type="submit" loading={busy === 'publish'} disabled={!pubAnswer.trim()}>
              {t('press.request.publishSubmit')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
