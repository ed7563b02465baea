// Press requests: the press center's inbox (reporters' questions routed to it), each with the parts
// asked of other agencies. A press officer sees their own agency's tickets; an admin picks the agency.
import { Anchor, Badge, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Agency, TicketList } from '../../api/types';
import { useMe } from '../../app/session';
import { formatDateTime, PageLoader, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

export function PressRequestsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const agencies = useApiData<Agency[]>(me.role === 'admin' ? '/agencies' : null);
  const [chosen, setChosen] = useState<string | null>(null);
  // An admin belongs to no agency: they choose whose requests to see (the press center's, usually).
  const agencyId = me.role === 'admin' ? (chosen ?? agencies.data?.find((a) => a.slug === 'trung-tam-bao-chi')?.id ?? null) : me.agencyId;
  const tickets = useApiData<TicketList>(me.role === 'admin' && !agencyId ? null : '/tickets', {
    agencyId: me.role === 'admin' ? (agencyId ?? undefined) : undefined,
    sort: 'urgency',
    limit: 100,
  });

  return (
    <Stack>
      <Title order={2}>{t('press.requests.title')}</Title>
      <Text c="dimmed">{t('press.requests.intro')}</Text>
      {me.role === 'admin' && (
        <Select
          label={t('press.requests.agency')}
          data={(agencies.data ?? []).filter((a) => !a.isTriage).map((a) => ({ value: a.id, label: a.name }))}
          value={agencyId}
          onChange={setChosen}
          searchable
          maw={420}
          data-testid="press-requests-agency"
        />
      )}
      <ErrorAlert error={tickets.error ?? agencies.error} />
      {tickets.loading && !tickets.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover data-testid="press-requests">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ticket.code')}</Table.Th>
                <Table.Th>{t('ticket.summary')}</Table.Th>
                <Table.Th>{t('ticket.status')}</Table.Th>
                <Table.Th>{t('press.requests.due')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(tickets.data?.items ?? []).map((row) => (
                <Table.Tr key={row.trackingCode}>
                  <Table.Td>
                    <Anchor component={Link} to={`/press/requests/${row.trackingCode}`}>
                      {row.trackingCode}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{row.summary}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="light">{t(`status.${row.status}`)}</Badge>
                      {row.overdue && <Badge color="red">{t('press.requests.overdue')}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(row.dueAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
              {tickets.data?.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>{t('press.requests.none')}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
