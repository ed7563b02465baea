// Journalists' profiles given in the conversation; a press officer verifies one once the press
// card was checked (registrations then show it as verified).
import { Badge, Button, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { PressProfile } from '../../api/types';
import { formatDateTime, PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

export function PressProfilesPage() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState('all');
  const profiles = useApiData<PressProfile[]>('/press/profiles', { verified: filter === 'all' ? undefined : filter === 'verified' });
  const { busy, run } = useAction();
  const verify = (p: PressProfile) =>
    run(p.id, async () => {
      await api.post(`/press/profiles/${p.id}/verify`);
      await profiles.reload();
    }, t('press.profiles.verifiedDone', { name: p.name }));

  return (
    <Stack>
      <Title order={2}>{t('press.profiles.title')}</Title>
      <SegmentedControl
        aria-label={t('press.profiles.filter')}
        value={filter}
        onChange={setFilter}
        data={[
          { value: 'all', label: t('press.profiles.all') },
          { value: 'unverified', label: t('press.profiles.unverified') },
          { value: 'verified', label: t('press.profiles.verified') },
        ]}
        maw={420}
      />
      <ErrorAlert error={profiles.error} />
      {!profiles.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="press-profiles">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('press.profiles.name')}</Table.Th>
                <Table.Th>{t('press.profiles.newsroom')}</Table.Th>
                <Table.Th>{t('press.profiles.card')}</Table.Th>
                <Table.Th>{t('press.profiles.contact')}</Table.Th>
                <Table.Th>{t('press.profiles.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {profiles.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{p.newsroom}</Table.Td>
                  <Table.Td>{p.pressCardNumber}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{[p.phone, p.email].filter(Boolean).join(' · ') || '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {p.verifiedAt ? (
                      <Badge color="green">{t('press.profiles.verifiedAt', { at: formatDateTime(p.verifiedAt, i18n.language) })}</Badge>
                    ) : (
                      <Button size="xs" onClick={() => void verify(p)} loading={busy === p.id} aria-label={t('press.profiles.verifyName', { name: p.name })}>
                        {t('press.profiles.verify')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
              {profiles.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>{t('press.profiles.none')}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
