// Answers published on /hoi-dap and /qa: the list, and unpublishing one (it also leaves the
// knowledge base the bot answers from). Publishing happens from a press request or a ticket.
import { Anchor, Badge, Button, Group, Pagination, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { PublishedAnswerPage, PublishedAnswer } from '../../api/types';
import { formatDate, PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

export function PressPublishedPage() {
  const { t, i18n } = useTranslation();
  const [locale, setLocale] = useState<'vi' | 'en'>('vi');
  const [pageNumber, setPageNumber] = useState(1);
  const list = useApiData<PublishedAnswerPage>('/press/published', { locale, page: pageNumber });
  const { busy, run } = useAction();
  const unpublish = (p: PublishedAnswer) =>
    run(p.id, async () => {
      if (!window.confirm(t('press.published.confirm'))) return;
      await api.delete(`/press/published/${p.id}`);
      await list.reload();
    });
  return (
    <Stack>
      <Title order={2}>{t('press.published.title')}</Title>
      <Group wrap="wrap">
        <SegmentedControl
          aria-label={t('press.published.language')}
          value={locale}
          onChange={(value) => {
            setLocale(value === 'en' ? 'en' : 'vi');
            setPageNumber(1);
          }}
          data={[
            { value: 'vi', label: 'VI' },
            { value: 'en', label: 'EN' },
          ]}
        />
        <Anchor href="/hoi-dap" target="_blank">
          /hoi-dap
        </Anchor>
        <Anchor href="/qa" target="_blank">
          /qa
        </Anchor>
      </Group>
      <Text size="sm" c="dimmed">
        {t('press.published.hint')}
      </Text>
      <ErrorAlert error={list.error} />
      {!list.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="published">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('press.published.question')}</Table.Th>
                <Table.Th>{t('press.published.agency')}</Table.Th>
                <Table.Th>{t('press.published.at')}</Table.Th>
                <Table.Th>{t('press.events.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.answers.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Text fw={500}>{p.question}</Text>
                    <Text size="sm" lineClamp={2}>
                      {p.answer}
                    </Text>
                    <Group gap={4} mt={4} wrap="wrap">
                      <Badge variant="light">{p.locale.toUpperCase()}</Badge>
                      {p.anonymised && <Badge variant="light">{t('press.published.anonymised')}</Badge>}
                      {p.consent && <Badge variant="light" color="green">{t('press.published.consent')}</Badge>}
                      {p.trackingCode && (
                        <Anchor component={Link} to={`/tickets/${p.trackingCode}`} size="sm">
                          {p.trackingCode}
                        </Anchor>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{p.agency?.name ?? '—'}</Table.Td>
                  <Table.Td>{formatDate(p.publishedAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" color="red" variant="light" loading={busy === p.id} onClick={() => void unpublish(p)} aria-label={t('press.published.unpublishName', { name: p.question })}>
                      {t('press.published.unpublish')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
              {list.data.answers.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>{t('press.published.none')}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          {list.data.pages > 1 && (
            <Pagination
              mt="sm"
              total={list.data.pages}
              value={list.data.page}
              onChange={setPageNumber}
              getControlProps={(control) => ({ 'aria-label': t(`press.published.pager.${control}`) })}
              getItemProps={(page) => ({ 'aria-label': t('press.published.pager.page', { page }) })}
            />
          )}
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
