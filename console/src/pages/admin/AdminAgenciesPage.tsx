// Agencies (admins): create one, rename it, deactivate or reactivate it, delete one that never
// held a ticket (the server answers 409 otherwise: deactivate it instead).
import { Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AgencyAdmin } from '../../api/types';
import { PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

function RenameModal({ agency, onClose, onSaved }: { agency: AgencyAdmin; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(agency.name);
  const [nameEn, setNameEn] = useState(agency.nameEn);
  const { busy, run } = useAction();
  const save = () =>
    run('save', async () => {
      await api.patch(`/admin/agencies/${agency.id}`, { name, nameEn });
      onSaved();
      onClose();
    }, t('admin.saved'));
  return (
    <Modal opened onClose={onClose} title={t('admin.agencies.rename')}>
      <form onSubmit={(e) => (e.preventDefault(), void save())}>
        <Stack>
          <TextInput label={t('admin.agencies.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required minLength={2} />
          <TextInput label={t('admin.agencies.nameEn')} value={nameEn} onChange={(e) => setNameEn(e.currentTarget.value)} required minLength={2} />
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

export function AdminAgenciesPage() {
  const { t } = useTranslation();
  const agencies = useApiData<AgencyAdmin[]>('/admin/agencies');
  const empty = { slug: '', name: '', nameEn: '' };
  const [form, setForm] = useState(empty);
  const [renaming, setRenaming] = useState<AgencyAdmin | null>(null);
  const { busy, run } = useAction();
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const create = () =>
    run('create', async () => {
      await api.post('/admin/agencies', form);
      setForm(empty);
      await agencies.reload();
    }, t('admin.agencies.created'));
  const toggle = (a: AgencyAdmin) =>
    run(a.id, async () => {
      await api.patch(`/admin/agencies/${a.id}`, { active: !a.active });
      await agencies.reload();
    }, t('admin.saved'));
  const remove = (a: AgencyAdmin) =>
    run(a.id, async () => {
      if (!window.confirm(t('admin.agencies.deleteConfirm', { name: a.name }))) return;
      await api.delete(`/admin/agencies/${a.id}`);
      await agencies.reload();
    }, t('admin.agencies.deleted'));

  return (
    <Stack>
      <Title order={2}>{t('admin.agencies.title')}</Title>
      <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void create())} data-testid="agency-form">
        <Stack>
          <Title order={3}>{t('admin.agencies.create')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('admin.agencies.slug')} description={t('admin.agencies.slugHint')} value={form.slug} onChange={set('slug')} required pattern="[a-z0-9]+(-[a-z0-9]+)*" />
            <TextInput label={t('admin.agencies.name')} value={form.name} onChange={set('name')} required minLength={2} />
            <TextInput label={t('admin.agencies.nameEn')} value={form.nameEn} onChange={set('nameEn')} required minLength={2} />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={busy === 'create'} data-testid="agency-create">
              {t('admin.agencies.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <ErrorAlert error={agencies.error} />
      {!agencies.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="agencies">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.agencies.name')}</Table.Th>
                <Table.Th>{t('admin.agencies.slug')}</Table.Th>
                <Table.Th>{t('admin.agencies.staff')}</Table.Th>
                <Table.Th>{t('admin.agencies.openTickets')}</Table.Th>
                <Table.Th>{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {agencies.data.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    {a.name}
                    {a.isTriage && (
                      <Badge ml="xs" variant="light">
                        {t('admin.agencies.triage')}
                      </Badge>
                    )}
                    {!a.active && (
                      <Badge ml="xs" color="gray">
                        {t('admin.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{a.slug}</Table.Td>
                  <Table.Td>{a.staff}</Table.Td>
                  <Table.Td>
                    {a.openTickets} / {a.tickets}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="wrap">
                      <Button size="xs" variant="default" onClick={() => setRenaming(a)} aria-label={t('admin.agencies.renameName', { name: a.name })}>
                        {t('admin.agencies.rename')}
                      </Button>
                      <Button size="xs" variant="light" loading={busy === a.id} onClick={() => void toggle(a)} aria-label={t(a.active ? 'admin.deactivateName' : 'admin.activateName', { name: a.name })}>
                        {a.active ? t('admin.deactivate') : t('admin.activate')}
                      </Button>
                      {a.tickets === 0 && (
                        <Button size="xs" color="red" variant="light" onClick={() => void remove(a)} aria-label={t('admin.deleteName', { name: a.name })}>
                          {t('admin.delete')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {renaming && <RenameModal agency={renaming} onClose={() => setRenaming(null)} onSaved={() => void agencies.reload()} />}
    </Stack>
  );
}
