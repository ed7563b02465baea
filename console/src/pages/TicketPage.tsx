// One ticket: what the person asked and where it stands.
import { Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../api/client';
import type { TicketDetail } from '../api/types';
import { ErrorAlert } from '../components/errors';

export function TicketPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const abort = new AbortController();
    api.get<TicketDetail>(`/tickets/${encodeURIComponent(code)}`, undefined, { signal: abort.signal }).then(setDetail, (err: unknown) => !abort.signal.aborted && setError(err));
    return () => abort.abort();
  }, [code]);
  if (error) return <ErrorAlert error={error} />;
  if (!detail) return <Loader aria-label={t('common.loading')} />;
  return (
    <Stack>
      <Title order={2}>{detail.ticket.trackingCode}</Title>
      <Text>{detail.ticket.summary}</Text>
      {detail.messages.map((m) => (
        <Paper key={m.id} withBorder p="xs">
          <Text size="xs" c="dimmed">
            {t(`author.${m.author}`)}
          </Text>
          <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.text}</Text>
        </Paper>
      ))}
    </Stack>
  );
}
