// The inbox: the tickets this staff member may see, urgent first then by deadline (the server's order).
import { Anchor, Badge, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { TicketList } from '../api/types';
import { ErrorAlert } from '../components/errors';

export function InboxPage() {
  const { t } = useTranslation();
  const [list, setList] = useState<TicketList | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const abort = new AbortController();
    api.get<TicketList>('/tickets', undefined, { signal: abort.signal }).then(setList, (err: unknown) => !abort.signal.aborted && setError(err));
    return () => abort.abort();
  }, []);
  return (
    <Stack>
      <Title order={2}>{t('inbox.title')}</Title>
      <ErrorAlert error={error} />
      {!list && !error && <Loader aria-label={t('common.loading')} />}
      {list && (
        <Table.ScrollContainer minWidth={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ticket.code')}</Table.Th>
                <Table.Th>{t('ticket.summary')}</Table.Th>
                <Table.Th>{t('ticket.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((row) => (
                <Table.Tr key={row.trackingCode}>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${row.trackingCode}`}>
                      {row.trackingCode}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {row.summary}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`status.${row.status}`)}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
