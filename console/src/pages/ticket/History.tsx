// The ticket's history, oldest first: status moves with their reasons, routing, assignments,
// internal notes, failed deliveries. Views of the ticket (the audit trail) are counted, and listed
// on request: every opening of the ticket records one.
import { Button, Group, Stack, Text, Timeline } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agency, TicketEvent } from '../../api/types';
import { formatDateTime } from '../../components/data';

const AUDIT_KINDS = new Set(['viewed', 'personal_data_viewed', 'attachment_opened']);

export function History({ events, agencies, people }: { events: TicketEvent[]; agencies: Agency[]; people: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const [showAudit, setShowAudit] = useState(false);
  const audit = events.filter((e) => AUDIT_KINDS.has(e.kind));
  const shown = showAudit ? events : events.filter((e) => !AUDIT_KINDS.has(e.kind));
  const agencyName = (id: unknown) => {
    const a = agencies.find((x) => x.id === id);
    return a ? (i18n.language === 'en' && a.nameEn ? a.nameEn : a.name) : t('ticketView.unknownAgency');
  };
  const who = (id: string | null) => (id ? (people.get(id) ?? t('ticketView.staffMember')) : t('ticketView.system'));

  function detail(e: TicketEvent): string | null {
    const d = e.data ?? {};
    const parts: string[] = [];
    if (e.fromStatus || e.toStatus) parts.push([e.fromStatus && t(`status.${e.fromStatus}`), e.toStatus && t(`status.${e.toStatus}`)].filter(Boolean).join(' → '));
    if (e.kind === 'routed' && d.agencyId) parts.push(agencyName(d.agencyId));
    if ((e.kind === 'assigned' || e.kind === 'transferred') && d.toAgencyId) parts.push(`${agencyName(d.fromAgencyId)} → ${agencyName(d.toAgencyId)}`);
    if (e.kind === 'assignee_changed') parts.push(typeof d.toAssigneeId === 'string' ? who(d.toAssigneeId) : t('ticket.nobody'));
    if (e.kind === 'merged' && typeof d.fromCode === 'string') parts.push(d.fromCode);
    if (e.kind === 'priority_changed' && typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${t(`priority.${d.from}`)} → ${t(`priority.${d.to}`)}`);
    if (typeof d.reason === 'string') parts.push(`${t('ticketView.reason')}: ${d.reason}`);
    if (typeof d.text === 'string') parts.push(d.text);
    if (typeof d.error === 'string') parts.push(d.error);
    return parts.length ? parts.join(' · ') : null;
  }

  return (
    <Stack gap="xs">
      <Timeline bulletSize={12} lineWidth={2} data-testid="history">
        {shown.map((e) => (
          <Timeline.Item key={e.id} title={t(`event.${e.kind}`, { defaultValue: e.kind })} color={e.kind === 'note' ? 'yellow' : e.kind === 'answer_not_delivered' || e.kind === 'overdue' ? 'red' : undefined}>
            <Text size="xs" c="dimmed">
              {formatDateTime(e.createdAt, i18n.language)} · {who(e.actorId)}
            </Text>
            {detail(e) && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid={e.kind === 'note' ? 'note-text' : undefined}>
                {detail(e)}
              </Text>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
      {audit.length > 0 && (
        <Group>
          <Button variant="subtle" size="xs" onClick={() => setShowAudit((s) => !s)} aria-pressed={showAudit}>
            {showAudit ? t('ticketView.hideViews') : t('ticketView.showViews', { count: audit.length })}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
