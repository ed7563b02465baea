// Staff accounts (admins; an agency lead for their agency's staff): create one with a one-time
// password shown once, change role, agency or lead flag, deactivate, reset the password.
import { Alert, Badge, Button, Card, Checkbox, Code, Group, Modal, Select, SimpleGrid, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ROLES, type Agency, type Role, type StaffAccount, type StaffWithPassword } from '../../api/types';
import { useMe } from '../../app/session';
import { formatDateTime, PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

interface StaffForm {
  email: string;
  displayName: string;
  role: Role;
  agencyId: string | null;
  isLead: boolean;
}

function StaffFields({ form, setForm, agencies, withEmail }: { form: StaffForm; setForm: (f: StaffForm) => void; agencies: Agency[]; withEmail: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const roles = me.role === 'admin' ? ROLES : (['agency_staff'] as const);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {withEmail && <TextInput type="email" label={t('admin.staff.email')} value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} required />}
      <TextInput label={t('admin.staff.displayName')} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })} required minLength={2} />
      <Select
        label={t('admin.staff.role')}
        data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        value={form.role}
        onChange={(v) => setForm({ ...form, role: (v as Role) ?? 'agency_staff', agencyId: v === 'admin' ? null : form.agencyId, isLead: v === 'agency_staff' && form.isLead })}
        allowDeselect={false}
      />
      <Select
        label={t('admin.staff.agency')}
        data={agencies.map((a) => ({ value: a.id, label: a.name }))}
        value={form.agencyId}
        onChange={(v) => setForm({ ...form, agencyId: v })}
        disabled={form.role === 'admin' || me.role !== 'admin'}
        clearable
        searchable
        data-testid="staff-agency"
      />
      {me.role === 'admin' && (
        <Checkbox label={t('admin.staff.isLead')} checked={form.isLead} disabled={form.role !== 'agency_staff'} onChange={(e) => setForm({ ...form, isLead: e.currentTarget.checked })} />
      )}
    </SimpleGrid>
  );
}

function OneTimePassword({ result, onClose }: { result: StaffWithPassword | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={Boolean(result)} onClose={onClose} title={t('admin.staff.passwordTitle')}>
      {result && (
        <Stack>
          <Alert color="yellow">{t('admin.staff.passwordHint', { email: result.user.email })}</Alert>
          <Code block data-testid="one-time-password">
            {result.oneTimePassword}
          </Code>
          <Button onClick={onClose}>{t('admin.staff.passwordDone')}</Button>
        </Stack>
      )}
    </Modal>
  );
}

export function AdminStaffPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const staff = useApiData<StaffAccount[]>('/admin/staff');
  const agencies = useApiData<Agency[]>('/agencies');
  const empty: StaffForm = { email: '', displayName: '', role: 'agency_staff', agencyId: me.role === 'admin' ? null : me.agencyId, isLead: false };
  const [form, setForm] = useState<StaffForm>(empty);
  const [editing, setEditing] = useState<{ user: StaffAccount; form: StaffForm } | null>(null);
  const [password, setPassword] = useState<StaffWithPassword | null>(null);
  const { busy, run } = useAction();
  const agencyName = (id: string | null) => agencies.data?.find((a) => a.id === id)?.name ?? '—';

  const create = () =>
    run('create', async () => {
      const result = await api.post<StaffWithPassword>('/admin/staff', { ...form, agencyId: form.agencyId ?? null });
      setForm(empty);
      setPassword(result);
      await staff.reload();
    });
  const save = () =>
    run('save', async () => {
      if (!editing) return;
      const { email: _email, ...changes } = editing.form;
      await api.patch(`/admin/staff/${editing.user.id}`, changes);
      setEditing(null);
      await staff.reload();
    }, t('admin.saved'));
  const toggle = (u: StaffAccount) =>
    run(u.id, async () => {
      await api.patch(`/admin/staff/${u.id}`, { active: !u.active });
      await staff.reload();
    }, t('admin.saved'));
  const reset = (u: StaffAccount) =>
    run(u.id, async () => {
      if (!window.confirm(t('admin.staff.resetConfirm', { email: u.email }))) return;
      setPassword(await api.post<StaffWithPassword>(`/admin/staff/${u.id}/reset-password`));
    });

  return (
    <Stack>
      <Title order={2}>{t('admin.staff.title')}</Title>
      <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void create())} data-testid="staff-form">
        <Stack>
          <Title order={3}>{t('admin.staff.create')}</Title>
          <StaffFields form={form} setForm={setForm} agencies={agencies.data ?? []} withEmail />
          <Group>
            <Button type="submit" loading={busy === 'create'} data-testid="staff-create">
              {t('admin.staff.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <ErrorAlert error={staff.error} />
      {!staff.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped data-testid="staff">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.staff.displayName')}</Table.Th>
                <Table.Th>{t('admin.staff.role')}</Table.Th>
                <Table.Th>{t('admin.staff.agency')}</Table.Th>
                <Table.Th>{t('admin.staff.lastLogin')}</Table.Th>
                <Table.Th>{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.data.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>
                    {u.displayName}
                    <br />
                    <small>{u.email}</small>
                    {!u.active && (
                      <Badge ml="xs" color="gray">
                        {t('admin.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {t(`roles.${u.role}`)}
                    {u.isLead && (
                      <Badge ml="xs" variant="light">
                        {t('admin.staff.lead')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{agencyName(u.agencyId)}</Table.Td>
                  <Table.Td>{formatDateTime(u.lastLoginAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="wrap">
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing({ user: u, form: { email: u.email, displayName: u.displayName, role: u.role, agencyId: u.agencyId, isLead: u.isLead } })}
                        aria-label={t('admin.editName', { name: u.email })}
                        disabled={u.id === me.id}
                      >
                        {t('admin.edit')}
                      </Button>
                      <Button size="xs" variant="light" loading={busy === u.id} onClick={() => void toggle(u)} disabled={u.id === me.id} aria-label={t(u.active ? 'admin.deactivateName' : 'admin.activateName', { name: u.email })}>
                        {u.active ? t('admin.deactivate') : t('admin.activate')}
                      </Button>
                      <Button size="xs" variant="light" onClick={() => void reset(u)} disabled={!u.active} aria-label={t('admin.staff.resetName', { name: u.email })}>
                        {t('admin.staff.reset')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={Boolean(editing)} onClose={() => setEditing(null)} title={editing ? t('admin.editName', { name: editing.user.email }) : ''} size="lg">
        {editing && (
          <form onSubmit={(e) => (e.preventDefault(), void save())}>
            <Stack>
              <StaffFields form={editing.form} setForm={(f) => setEditing({ ...editing, form: f })} agencies={agencies.data ?? []} withEmail={false} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setEditing(null)}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={busy === 'save'}>
                  {t('common.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
      <OneTimePassword result={password} onClose={() => setPassword(null)} />
    </Stack>
  );
}
