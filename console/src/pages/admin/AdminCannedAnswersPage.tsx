// Canned answers (admins; an agency lead their agency's): the texts staff pick for a reply, with
// variables ({{name}}, {{code}}, {{agency}}, {{staff}}, {{tracking_url}}) filled for the ticket.
import { Badge, Button, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Agency, CannedAnswer } from '../../api/types';
import { PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

function CannedModal({ answer, onClose, onSaved }: { answer: CannedAnswer | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const agencies = useApiData<Agency[]>('/agencies');
  const [form, setForm] = useState({ title: answer?.title ?? '', body: answer?.body ?? '', locale: answer?.locale ?? 'vi', agencyId: answer?.agencyId ?? null });
  const { busy, run } = useAction();
  const save = () =>
    run('save', async () => {
      if (answer) await api.patch(`/canned-answers/${answer.id}`, form);
      else await api.post('/canned-answers', form);
      onSaved();
      onClose();
    }, t('admin.saved'));
  return (
    <Modal opened onClose={onClose} title={answer ? t('admin.canned.edit') : t('admin.canned.create')} size="lg">
      <form onSubmit={(e) => (e.preventDefault(), void save())}>
        <Stack>
          <TextInput label={t('admin.canned.titleField')} value={form.title} onChange={(e) => setForm({ ...form, title: e.currentTarget.value })} required />
          <Textarea label={t('admin.canned.body')} description={t('admin.canned.variables')} value={form.body} onChange={(e) => setForm({ ...form, body: e.currentTarget.value })} autosize minRows={4} required />
          <Group grow wrap="wrap">
            <Select
              label={t('admin.canned.locale')}
              data={[
                { value: 'vi', label: 'Tiếng Việt' },
                { value: 'en', label: 'English' },
              ]}
              value={form.locale}
              onChange={(v) => setForm({ ...form, locale: (v as 'vi' | 'en') ?? 'vi' })}
              allowDeselect={false}
            />
            <Select label={t('admin.canned.agency')} placeholder={t('admin.canned.everyAgency')} data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))} value={form.agencyId} onChange={(v) => setForm({ ...form, agencyId: v })} clearable searchable />
          </Group>
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

export function AdminCannedAnswersPage() {
  const { t } = useTranslation();
  const answers = useApiData<CannedAnswer[]>('/canned-answers');
  const agencies = useApiData<Agency[]>('/agencies');
  const [editing, setEditing] = useState<CannedAnswer | 'new' | null>(null);
  const { busy, run } = useAction();
  const toggle = (a: CannedAnswer) =>
    run(a.id, async () => {
      await api.patch(`/canned-answers/${a.id}`, { active: !a.active });
      await answers.reload();
    }, t('admin.saved'));
  const remove = (a: CannedAnswer) =>
    run(a.id, async () => {
      if (!window.confirm(t('admin.canned.deleteConfirm', { name: a.title }))) return;
      await api.delete(`/canned-answers/${a.id}`);
      await answers.reload();
    });
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('admin.canned.title')}</Title>
        <Button onClick={() => setEditing('new')}>{t('admin.canned.create')}</Button>
      </Group>
      <ErrorAlert error={answers.error} />
      {!answers.data ? (
        !answers.error && <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="canned-answers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.canned.titleField')}</Table.Th>
                <Table.Th>{t('admin.canned.agency')}</Table.Th>
                <Table.Th>{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answers.data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Text fw={500}>
                      {a.title}{' '}
                      <Badge variant="light" size="sm">
                        {a.locale.toUpperCase()}
                      </Badge>
                      {!a.active && (
                        <Badge ml="xs" color="gray" size="sm">
                          {t('admin.inactive')}
                        </Badge>
                      )}
                    </Text>
                    <Text size="sm" lineClamp={2}>
                      {a.body}
                    </Text>
                  </Table.Td>
                  <Table.Td>{a.agencyId ? (agencies.data?.find((g) => g.id === a.agencyId)?.name ?? '—') : t('admin.canned.everyAgency')}</Table.Td>
                  <Table.Td>
                    {a.editable && (
                      <Group gap="xs" wrap="wrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(a)} aria-label={t('admin.editName', { name: a.title })}>
                          {t('admin.edit')}
                        </Button>
                        <Button size="xs" variant="light" loading={busy === a.id} onClick={() => void toggle(a)} aria-label={t(a.active ? 'admin.deactivateName' : 'admin.activateName', { name: a.title })}>
                          {a.active ? t('admin.deactivate') : t('admin.activate')}
                        </Button>
                        <Button size="xs" color="red" variant="light" onClick={() => void remove(a)} aria-label={t('admin.deleteName', { name: a.title })}>
                          {t('admin.delete')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <CannedModal key={editing === 'new' ? 'new' : editing.id} answer={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void answers.reload()} />}
    </Stack>
  );
}
