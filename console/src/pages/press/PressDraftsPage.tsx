// Draft documents open for public comment: open one (press officers, admins), read the comments
// people sent (the drafting agency's staff too) and download them for Excel.
import { Anchor, Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { Agency, DraftComment, DraftDocument } from '../../api/types';
import { useMe } from '../../app/session';
import { formatDate, formatDateTime, fromLocalInput, PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

function NewDraftModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const agencies = useApiData<Agency[]>('/agencies');
  const [form, setForm] = useState({ titleVi: '', titleEn: '', agencyId: '', summary: '', fullTextUrl: '', opensAt: '', closesAt: '' });
  const { busy, run } = useAction();
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const save = () =>
    run('save', async () => {
      await api.post('/press/drafts', { ...form, opensAt: fromLocalInput(form.opensAt), closesAt: fromLocalInput(form.closesAt) });
      onSaved();
      onClose();
    }, t('press.drafts.created'));
  return (
    <Modal opened onClose={onClose} title={t('press.drafts.create')} size="lg">
      <form onSubmit={(e) => (e.preventDefault(), void save())}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('press.drafts.titleVi')} value={form.titleVi} onChange={set('titleVi')} required />
            <TextInput label={t('press.drafts.titleEn')} value={form.titleEn} onChange={set('titleEn')} required />
          </SimpleGrid>
          <Select
            label={t('press.drafts.agency')}
            data={(agencies.data ?? []).filter((a) => !a.isTriage).map((a) => ({ value: a.id, label: a.name }))}
            value={form.agencyId || null}
            onChange={(v) => setForm({ ...form, agencyId: v ?? '' })}
            searchable
            required
          />
          <Textarea label={t('press.drafts.summary')} value={form.summary} onChange={set('summary')} autosize minRows={3} required />
          <TextInput type="url" label={t('press.drafts.fullTextUrl')} value={form.fullTextUrl} onChange={set('fullTextUrl')} placeholder="https://" required />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput type="datetime-local" label={t('press.drafts.opensAt')} value={form.opensAt} onChange={set('opensAt')} required />
            <TextInput type="datetime-local" label={t('press.drafts.closesAt')} value={form.closesAt} onChange={set('closesAt')} required />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy === 'save'}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PressDraftsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const drafts = useApiData<DraftDocument[]>('/press/drafts');
  const [creating, setCreating] = useState(false);
  const now = Date.now();
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('press.drafts.title')}</Title>
        {(me.role === 'admin' || me.role === 'press_officer') && <Button onClick={() => setCreating(true)}>{t('press.drafts.create')}</Button>}
      </Group>
      <ErrorAlert error={drafts.error} />
      {!drafts.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="drafts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('press.drafts.name')}</Table.Th>
                <Table.Th>{t('press.drafts.agency')}</Table.Th>
                <Table.Th>{t('press.drafts.open')}</Table.Th>
                <Table.Th>{t('press.drafts.comments')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {drafts.data.map((d) => {
                const open = new Date(d.opensAt).getTime() <= now && now < new Date(d.closesAt).getTime();
                return (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/press/drafts/${d.id}`}>
                        {i18n.language === 'en' ? d.titleEn : d.titleVi}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{d.agency.name}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="wrap">
                        <Text size="sm">
                          {formatDate(d.opensAt, i18n.language)} – {formatDate(d.closesAt, i18n.language)}
                        </Text>
                        {open && <Badge color="green">{t('press.drafts.openNow')}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td>{d.comments}</Table.Td>
                  </Table.Tr>
                );
              })}
              {drafts.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>{t('press.drafts.none')}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {creating && <NewDraftModal onClose={() => setCreating(false)} onSaved={() => void drafts.reload()} />}
    </Stack>
  );
}

export function PressDraftPage() {
  const { t, i18n } = useTranslation();
  const id = useParams().id!;
  const drafts = useApiData<DraftDocument[]>('/press/drafts');
  const comments = useApiData<DraftComment[]>(`/press/drafts/${id}/comments`);
  const draft = drafts.data?.find((d) => d.id === id);
  return (
    <Stack>
      <Anchor component={Link} to="/press/drafts">
        {t('press.drafts.back')}
      </Anchor>
      <Title order={2}>{draft ? (i18n.language === 'en' ? draft.titleEn : draft.titleVi) : t('press.drafts.title')}</Title>
      {draft && (
        <Card withBorder>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{draft.summary}</Text>
          <Anchor href={draft.fullTextUrl} target="_blank" rel="noreferrer" size="sm">
            {t('press.drafts.fullText')}
          </Anchor>
        </Card>
      )}
      <Group justify="space-between" wrap="wrap">
        <Title order={3}>{t('press.drafts.commentsCount', { count: comments.data?.length ?? 0 })}</Title>
        <Anchor href={`/api/press/drafts/${id}/comments.csv`} download>
          {t('press.drafts.csv')}
        </Anchor>
      </Group>
      <ErrorAlert error={comments.error ?? drafts.error} />
      {!comments.data ? (
        !comments.error && <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="draft-comments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('press.drafts.code')}</Table.Th>
                <Table.Th>{t('press.drafts.article')}</Table.Th>
                <Table.Th>{t('press.drafts.comment')}</Table.Th>
                <Table.Th>{t('press.drafts.at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {comments.data.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.trackingCode}</Table.Td>
                  <Table.Td>{c.article ?? '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{c.text}</Table.Td>
                  <Table.Td>{formatDateTime(c.createdAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
              {comments.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>{t('press.drafts.noComments')}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
