// The inbox. Views by role (operators: triage; agency staff: my agency; press officers: their press
// requests; "assigned to me"), filters and search, all kept in the address (a reload or a shared
// link shows the same list); the server sorts (urgent first, then by deadline), counts and pages.
// Live events refetch the list and the counts.
import { Anchor, Badge, Button, Collapse, Group, Loader, Paper, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { TOPICS } from '../../../src/classify/taxonomy';
import { api, type Query } from '../api/client';
import { CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, type Role, type TicketCounts, type TicketList, type TicketRow } from '../api/types';
import { useLiveEvents, useLiveStatus } from '../app/live';
import { useMe } from '../app/session';
import { ErrorAlert } from '../components/errors';
import { Deadline, PriorityBadge, StatusBadge } from '../components/ticket-bits';
import { useApi } from '../hooks/useApi';

const PAGE_SIZE = 25;
const FINISHED = new Set(['answered', 'closed', 'duplicate', 'rejected']);

type ViewId = 'triage' | 'all' | 'overdue' | 'agency' | 'mine' | 'unassigned' | 'press';
interface View {
  id: ViewId;
  /** The filters this view stands for (the staff member's own filters come on top). */
  query: Query;
  count?: (c: TicketCounts) => number;
}

const VIEWS: Record<Role, View[]> = {
  operator: [
    { id: 'triage', query: { status: 'triage' }, count: (c) => c.byStatus.triage },
    { id: 'all', query: {}, count: (c) => c.total },
    { id: 'overdue', query: { overdue: true }, count: (c) => c.overdue },
  ],
  admin: [
    { id: 'triage', query: { status: 'triage' }, count: (c) => c.byStatus.triage },
    { id: 'all', query: {}, count: (c) => c.total },
    { id: 'overdue', query: { overdue: true }, count: (c) => c.overdue },
  ],
  agency_staff: [
    { id: 'agency', query: { state: 'open' }, count: (c) => c.open },
    { id: 'mine', query: { assignee: 'me', state: 'open' }, count: (c) => c.mine },
    { id: 'unassigned', query: { assignee: 'none', state: 'open' }, count: (c) => c.notTaken },
    { id: 'overdue', query: { overdue: true }, count: (c) => c.overdue },
  ],
  press_officer: [
    { id: 'press', query: { state: 'open' }, count: (c) => c.open },
    { id: 'mine', query: { assignee: 'me', state: 'open' }, count: (c) => c.mine },
    { id: 'overdue', query: { overdue: true }, count: (c) => c.overdue },
  ],
};

/** The filters a staff member can set, as they appear in the address. */
const FILTERS = ['status', 'topic', 'priority', 'channel', 'overdue', 'onlineSupport', 'assignee'] as const;
type Filter = (typeof FILTERS)[number];

export function InboxPage() {
  const { t } = useTranslation();
  const me = useMe();
  const live = useLiveStatus();
  const [params, setParams] = useSearchParams();
  const views = VIEWS[me.role];
  const view = views.find((v) => v.id === params.get('view')) ?? views[0]!;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  const query: Query = { ...view.query, limit: PAGE_SIZE, page };
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) query[f] = v;
  }
  // A status chosen in the filters is looked for in every group (a closed ticket in "my agency").
  if (query.status) delete query.state;
  if (q) query.q = q;
  const key = JSON.stringify(query);
  const activeFilters = FILTERS.filter((f) => params.get(f)).length;
  // Open on a wide screen; on a phone they would push the list below the fold until asked for.
  const wide = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });
  const [filtersOpen, setFiltersOpen] = useState(() => wide || activeFilters > 0);
  const toggleFilters = () => setFiltersOpen((o) => !o);

  const list = useApi((signal) => api.get<TicketList>('/tickets', query, { signal }), [key]);
  const counts = useApi((signal) => api.get<TicketCounts>('/tickets/counts', undefined, { signal }), []);
  useLiveEvents((e) => {
    if (e.type === 'notification') return; // its ticket_created / ticket_changed comes too
    list.reload();
    counts.reload();
  });

  /** Changes some parameters of the address; any change but the page goes back to page 1. */
  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  }

  function submitSearch(e: FormEvent) {
    e.preventDefault();
    update({ q: search.trim() || null });
  }

  const filterSelect = (name: Filter, data: { value: string; label: string }[]) => (
    <Select
      key={name}
      label={t(`inbox.filter.${name}`)}
      placeholder={t('inbox.filter.any')}
      data={data}
      value={params.get(name)}
      onChange={(v) => update({ [name]: v })}
      clearable
      comboboxProps={{ withinPortal: true }}
      data-testid={`filter-${name}`}
    />
  );
  const yesNo = [
    { value: 'true', label: t('common.yes') },
    { value: 'false', label: t('common.no') },
  ];
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t(me.role === 'press_officer' ? 'inbox.pressTitle' : 'inbox.title')}</Title>
        <Badge variant="dot" color={live === 'live' ? 'green' : 'gray'} data-testid="live-status" data-live={live}>
          {t(`live.status.${live}`)}
        </Badge>
      </Group>

      <Tabs value={view.id} onChange={(v) => update({ view: v === views[0]!.id ? null : v })} keepMounted={false}>
        <Tabs.List>
          {views.map((v) => (
            <Tabs.Tab key={v.id} value={v.id} data-testid={`view-${v.id}`}>
              {t(`inbox.view.${v.id}`)}
              {v.count && counts.data ? (
                <Badge ml={6} size="sm" variant="light" circle={false} data-testid={`count-${v.id}`}>
                  {v.count(counts.data)}
                </Badge>
              ) : null}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>

      <form onSubmit={submitSearch} role="search">
        <Group align="flex-end" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 1, minWidth: 0 }}
            label={t('inbox.search')}
            description={t('inbox.searchHint')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            data-testid="inbox-search"
          />
          <Button type="submit" variant="light">
            {t('inbox.searchButton')}
          </Button>
        </Group>
      </form>

      <Group gap="xs">
        <Button variant="default" size="xs" onClick={toggleFilters} aria-expanded={filtersOpen} aria-controls="inbox-filters" data-testid="toggle-filters">
          {t('inbox.filters', { count: activeFilters })}
        </Button>
      </Group>
      <Collapse in={filtersOpen} id="inbox-filters">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="xs">
        {filterSelect(
          'status',
          TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        )}
        {filterSelect(
          'priority',
          TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })),
        )}
        {filterSelect(
          'topic',
          TOPICS.map((p) => ({ value: p, label: t(`topics.${p}`) })),
        )}
        {filterSelect(
          'channel',
          CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) })),
        )}
        {filterSelect('overdue', yesNo)}
        {filterSelect('onlineSupport', yesNo)}
        {filterSelect('assignee', [
          { value: 'me', label: t('inbox.assignee.me') },
          { value: 'none', label: t('inbox.assignee.none') },
        ])}
        <Button variant="subtle" mt="auto" onClick={() => setParams(view.id === views[0]!.id ? {} : { view: view.id })} data-testid="clear-filters">
          {t('inbox.clear')}
        </Button>
      </SimpleGrid>
      </Collapse>

      <ErrorAlert error={list.error} />
      {list.loading && !list.data && <Loader aria-label={t('common.loading')} />}
      {list.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="inbox-total">
            {t('inbox.total', { count: total })}
          </Text>
          {list.data.items.length === 0 && <Text data-testid="inbox-empty">{t('inbox.empty')}</Text>}
          <Stack gap="xs" data-testid="inbox-list">
            {list.data.items.map((row) => (
              <TicketCard key={row.trackingCode} row={row} />
            ))}
          </Stack>
          {pages > 1 && (
            <Group justify="center" gap="xs">
              <Button variant="default" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                {t('inbox.previous')}
              </Button>
              <Text size="sm">{t('inbox.page', { page, pages })}</Text>
              <Button variant="default" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })} data-testid="next-page">
                {t('inbox.next')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function TicketCard({ row }: { row: TicketRow }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="inbox-row" data-code={row.trackingCode} component="article">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Anchor component={Link} to={`/tickets/${row.trackingCode}`} fw={700} data-testid="ticket-link">
            {row.trackingCode}
          </Anchor>
          <PriorityBadge priority={row.priority} />
          <StatusBadge status={row.status} />
          {row.overdue && (
            <Badge color="red" variant="filled">
              {t('ticket.overdue')}
            </Badge>
          )}
          {row.onlineSupport && <Badge variant="outline">{t('ticket.onlineSupport')}</Badge>}
        </Group>
        <Deadline dueAt={row.dueAt} overdue={row.overdue} done={FINISHED.has(row.status)} />
      </Group>
      <Text mt={4} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
        {row.summary}
      </Text>
      <Text size="xs" c="dimmed" mt={4} style={{ overflowWrap: 'anywhere' }}>
        {[
          row.topic ? t(`topics.${row.topic}`, { defaultValue: row.topic }) : t('ticket.noTopic'),
          row.agency?.name ?? t('ticket.noAgency'),
          row.assignee ? t('ticket.assignedTo', { name: row.assignee.displayName }) : t('ticket.nobody'),
          t(`channels.${row.channel}`),
        ].join(' · ')}
      </Text>
    </Paper>
  );
}
