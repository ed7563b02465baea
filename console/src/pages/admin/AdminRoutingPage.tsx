// Routing rules (admins edit; operators read and test): the rules in the order they are tried,
// a form to add one, enabling / disabling and moving them, and "test this text": what the
// classifier makes of a message and which rule would route it, nothing stored.
import { ActionIcon, Badge, Button, Card, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { INTENTS, TOPICS } from '../../../../src/classify/taxonomy';
import { TICKET_PRIORITIES, type Agency, type RoutingRule, type RoutingTest, type TicketPriority } from '../../api/types';
import { useMe } from '../../app/session';
import { PageLoader, useAction, useApiData } from '../../components/data';
import { ErrorAlert } from '../../components/errors';

function RoutingTestBox() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [result, setResult] = useState<RoutingTest | null>(null);
  const { busy, run } = useAction();
  const test = () => run('test', async () => setResult(await api.post<RoutingTest>('/admin/routing/test', { text })));
  const c = result?.classification;
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  return (
    <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void test())}>
      <Stack>
        <Title order={3}>{t('admin.routing.test')}</Title>
        <Textarea label={t('admin.routing.testText')} description={t('admin.routing.testHint')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} required data-testid="routing-test-text" />
        <Group>
          <Button type="submit" loading={busy === 'test'} disabled={!text.trim()} data-testid="routing-test">
            {t('admin.routing.testSubmit')}
          </Button>
        </Group>
        {result && (
          <Stack gap={4} data-testid="routing-test-result" aria-live="polite">
            {c ? (
              <Text>
                {t('admin.routing.classified', {
                  intent: t(`intents.${c.intent}`, { defaultValue: c.intent }),
                  topic: t(`topics.${c.topic}`, { defaultValue: c.topic }),
                  confidence: pct(c.confidence),
                  threshold: pct(result.threshold),
                })}
              </Text>
            ) : (
              <Text>{t('admin.routing.noClassifier')}</Text>
            )}
            {c && c.entities.wards.length > 0 && <Text size="sm">{t('admin.routing.wards', { wards: c.entities.wards.join(', ') })}</Text>}
            {result.urgentPhrase && <Text size="sm" c="red">{t('admin.routing.urgent', { phrase: result.urgentPhrase })}</Text>}
            <Text fw={500} data-testid="routing-test-agency">
              {t('admin.routing.goesTo', { agency: result.routing.agency.name, status: t(`status.${result.routing.status}`), priority: t(`priority.${result.routing.priority}`) })}
            </Text>
            <Text size="sm" data-testid="routing-test-rule">
              {result.routing.rule ? t('admin.routing.byRule', { name: result.routing.rule.name, position: result.routing.rule.position }) : t('admin.routing.noRule')}
            </Text>
            <Text size="sm" c="dimmed">
              {result.routing.reason}
            </Text>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

interface RuleForm {
  name: string;
  intent: string | null;
  topic: string | null;
  area: string;
  agencyId: string | null;
  priority: TicketPriority;
  onlineSupport: boolean;
}

export function AdminRoutingPage() {
  const { t } = useTranslation();
  const me = useMe();
  const admin = me.role === 'admin';
  const rules = useApiData<RoutingRule[]>('/admin/routing/rules');
  const agencies = useApiData<Agency[]>('/agencies');
  const empty: RuleForm = { name: '', intent: null, topic: null, area: '', agencyId: null, priority: 'normal', onlineSupport: false };
  const [form, setForm] = useState<RuleForm>(empty);
  const { busy, run } = useAction();
  const intents = INTENTS.map((i) => ({ value: i, label: t(`intents.${i}`) }));
  const topics = TOPICS.map((i) => ({ value: i, label: t(`topics.${i}`) }));
  const create = () =>
    run('create', async () => {
      await api.post('/admin/routing/rules', { ...form, area: form.area.trim() || null });
      setForm(empty);
      await rules.reload();
    }, t('admin.routing.created'));
  const toggle = (r: RoutingRule) =>
    run(r.id, async () => {
      await api.patch(`/admin/routing/rules/${r.id}`, { active: !r.active });
      await rules.reload();
    }, t('admin.saved'));
  const move = (index: number, by: -1 | 1) =>
    run('move', async () => {
      const ids = (rules.data ?? []).map((r) => r.id);
      const [id] = ids.splice(index, 1);
      ids.splice(index + by, 0, id!);
      await api.post('/admin/routing/rules/reorder', { ids });
      await rules.reload();
    });
  const label = (list: Array<{ value: string; label: string }>, v: string | null) => (v ? (list.find((x) => x.value === v)?.label ?? v) : t('admin.routing.any'));

  return (
    <Stack>
      <Title order={2}>{t('admin.routing.title')}</Title>
      <RoutingTestBox />
      <ErrorAlert error={rules.error} />
      {!rules.data ? (
        <PageLoader />
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table striped data-testid="routing-rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.routing.order')}</Table.Th>
                <Table.Th>{t('admin.routing.name')}</Table.Th>
                <Table.Th>{t('admin.routing.when')}</Table.Th>
                <Table.Th>{t('admin.routing.agency')}</Table.Th>
                <Table.Th>{t('admin.routing.tickets')}</Table.Th>
                {admin && <Table.Th>{t('admin.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.map((r, i) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      {i + 1}
                      {admin && (
                        <>
                          <ActionIcon variant="subtle" size="sm" disabled={i === 0 || busy === 'move'} onClick={() => void move(i, -1)} aria-label={t('admin.routing.up', { name: r.name })}>
                            ↑
                          </ActionIcon>
                          <ActionIcon variant="subtle" size="sm" disabled={i === rules.data!.length - 1 || busy === 'move'} onClick={() => void move(i, 1)} aria-label={t('admin.routing.down', { name: r.name })}>
                            ↓
                          </ActionIcon>
                        </>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {r.name}
                    {!r.active && (
                      <Badge ml="xs" color="gray">
                        {t('admin.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {label(intents, r.intent)} · {label(topics, r.topic)}
                      {r.area ? ` · ${r.area}` : ''}
                    </Text>
                    <Group gap={4}>
                      <Badge variant="light">{t(`priority.${r.priority}`)}</Badge>
                      {r.onlineSupport && <Badge variant="light">{t('admin.routing.onlineSupport')}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{r.agency.name}</Table.Td>
                  <Table.Td>{r.tickets}</Table.Td>
                  {admin && (
                    <Table.Td>
                      <Button size="xs" variant="light" loading={busy === r.id} onClick={() => void toggle(r)} aria-label={t(r.active ? 'admin.deactivateName' : 'admin.activateName', { name: r.name })}>
                        {r.active ? t('admin.routing.disable') : t('admin.routing.enable')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {admin && (
        <Card withBorder component="form" onSubmit={(e) => (e.preventDefault(), void create())}>
          <Stack>
            <Title order={3}>{t('admin.routing.create')}</Title>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label={t('admin.routing.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} required minLength={2} />
              <Select label={t('admin.routing.agency')} data={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))} value={form.agencyId} onChange={(v) => setForm({ ...form, agencyId: v })} searchable required />
              <Select label={t('admin.routing.intent')} data={intents} value={form.intent} onChange={(v) => setForm({ ...form, intent: v })} clearable placeholder={t('admin.routing.any')} />
              <Select label={t('admin.routing.topic')} data={topics} value={form.topic} onChange={(v) => setForm({ ...form, topic: v })} clearable searchable placeholder={t('admin.routing.any')} />
              <TextInput label={t('admin.routing.area')} description={t('admin.routing.areaHint')} value={form.area} onChange={(e) => setForm({ ...form, area: e.currentTarget.value })} />
              <Select
                label={t('admin.routing.priority')}
                data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                value={form.priority}
                onChange={(v) => setForm({ ...form, priority: (v as TicketPriority) ?? 'normal' })}
                allowDeselect={false}
              />
            </SimpleGrid>
            <Checkbox label={t('admin.routing.onlineSupport')} checked={form.onlineSupport} onChange={(e) => setForm({ ...form, onlineSupport: e.currentTarget.checked })} />
            <Group>
              <Button type="submit" loading={busy === 'create'} disabled={!form.agencyId}>
                {t('admin.routing.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
