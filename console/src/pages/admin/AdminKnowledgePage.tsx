// Knowledge-base entries (admins; an agency lead their agency's): the answers the bot gives. Find,
// add, edit, deactivate; the bot uses a change at once.
import { Badge, Button, Group, Modal, Select, SimpleGrid, Stack, Table, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { TOPICS } from '../../../../src/classify/taxonomy';
import type { Agency, KnowledgeEntry } from '../../api/types';
import { PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

type EntryForm = Omit<KnowledgeEntry, 'id' | 'active' | 'updatedAt' | 'keywords'> & { keywords: string };

const blank: EntryForm = { slug: '', topic: 'general', agencyId: null, kind: 'answer', titleVi: '', titleEn: '', answerVi: '', answerEn: '', keywords: '', sourceName: '', sourceUrl: '' };

function EntryModal({ entry, onClose, onSaved }: { entry: KnowledgeEntry | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const agencies = useApiData<Agency[]>('/agencies');
  const [form, setForm] = useState<EntryForm>(entry ? { ...entry, keywords: entry.keywords.join(', ') } : blank);
  const { busy, run } = useAction();
  const set = (k: keyof EntryForm) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const save = () =>
    run('save', async () => {
      const { slug, ...fields } = form;
      const body = { ...fields, keywords: form.keywords.split(',').map((k) => k.trim()).filter(Boolean) };
      if (entry) await api.patch(`/admin/knowledge/${entry.id}`, body);
      else await api.post('/admin/knowledge', { slug, ...body });
      onSaved();
      onClose();
    }, t('admin.saved'));
  return (
    <Modal opened onClose={onClose} title={entry ? t('admin.knowledge.edit') : t('admin.knowledge.create')} size="xl">
      <form onSubmit={(e) => (e.preventDefault(), void save())}>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('admin.knowledge.slug')} value={form.slug} onChange={set('slug')} required disabled={Boolean(entry)} pattern="[a-z0-9]+(-[a-z0-9]+)*" />
            <Select label={t('admin.knowledge.topic')} data={TOPICS.map((v) => ({ value: v, label: t(`topics.${v}`) }))} value={form.topic} onChange={(v) => setForm({ ...form, topic: v ?? 'general' })} allowDeselect={false} searchable />
            <Select
              label={t('admin.knowledge.kind')}
              data={[
                { value: 'answer', label: t('admin.knowledge.kindAnswer') },
                { value: 'online_fix', label: t('admin.knowledge.kindFix') },
              ]}
              value={form.kind}
              onChange={(v) => setForm({ ...form, kind: (v as EntryForm['kind']) ?? 'answer' })}
              allowDeselect={false}
            />
            <Select label={t('admin.knowledge.agency')} data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))} value={form.agencyId} onChange={(v) => setForm({ ...form, agencyId: v })} clearable searchable />
            <TextInput label={t('admin.knowledge.titleVi')} value={form.titleVi} onChange={set('titleVi')} required />
            <TextInput label={t('admin.knowledge.titleEn')} value={form.titleEn} onChange={set('titleEn')} required />
            <Textarea label={t('admin.knowledge.answerVi')} value={form.answerVi} onChange={set('answerVi')} autosize minRows={4} required />
            <Textarea label={t('admin.knowledge.answerEn')} value={form.answerEn} onChange={set('answerEn')} autosize minRows={4} required />
            <TextInput label={t('admin.knowledge.sourceName')} value={form.sourceName} onChange={set('sourceName')} required />
            <TextInput type="url" label={t('admin.knowledge.sourceUrl')} value={form.sourceUrl} onChange={set('sourceUrl')} required placeholder="https://" />
          </SimpleGrid>
          <TextInput label={t('admin.knowledge.keywords')} description={t('admin.knowledge.keywordsHint')} value={form.keywords} onChange={set('keywords')} />
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

export function AdminKnowledgePage() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const [topic, setTopic] = useState<string | null>(null);
  const entries = useApiData<KnowledgeEntry[]>('/admin/knowledge', { q: q.trim() || undefined, topic: topic ?? undefined });
  const [editing, setEditing] = useState<KnowledgeEntry | 'new' | null>(null);
  const { busy, run } = useAction();
  const toggle = (e: KnowledgeEntry) =>
    run(e.id, async () => {
      await api.patch(`/admin/knowledge/${e.id}`, { active: !e.active });
      await entries.reload();
    }, t('admin.saved'));
  const title = (e: KnowledgeEntry) => (i18n.language === 'en' ? e.titleEn : e.titleVi);
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('admin.knowledge.title')}</Title>
        <Button onClick={() => setEditing('new')}>{t('admin.knowledge.create')}</Button>
      </Group>
      <Group wrap="wrap" align="flex-end">
        <TextInput label={t('admin.knowledge.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" />
        <Select label={t('admin.knowledge.topic')} data={TOPICS.map((v) => ({ value: v, label: t(`topics.${v}`) }))} value={topic} onChange={setTopic} clearable searchable />
      </Group>
      <ErrorAlert error={entries.error} />
      {!entries.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="knowledge">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.knowledge.entry')}</Table.Th>
                <Table.Th>{t('admin.knowledge.topic')}</Table.Th>
                <Table.Th>{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.data.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    {title(e)}
                    <br />
                    <small>{e.slug}</small>
                    {e.kind === 'online_fix' && (
                      <Badge ml="xs" variant="light">
                        {t('admin.knowledge.kindFix')}
                      </Badge>
                    )}
                    {!e.active && (
                      <Badge ml="xs" color="gray">
                        {t('admin.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`topics.${e.topic}`, { defaultValue: e.topic })}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="wrap">
                      <Button size="xs" variant="default" onClick={() => setEditing(e)} aria-label={t('admin.editName', { name: title(e) })}>
                        {t('admin.edit')}
                      </Button>
                      <Button size="xs" variant="light" loading={busy === e.id} onClick={() => void toggle(e)} aria-label={t(e.active ? 'admin.deactivateName' : 'admin.activateName', { name: title(e) })}>
                        {e.active ? t('admin.deactivate') : t('admin.activate')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <EntryModal key={editing === 'new' ? 'new' : editing.id} entry={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => void entries.reload()} />}
    </Stack>
  );
}
