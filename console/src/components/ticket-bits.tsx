// Small pieces every ticket list and view shows the same way: status, priority, deadline, dates.
import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TicketPriority, TicketStatus } from '../api/types';
import { useNow } from '../hooks/useNow';
import { formatDateTime } from './data';

const STATUS_COLOR: Record<TicketStatus, string> = {
  new: 'blue',
  triage: 'grape',
  assigned: 'indigo',
  in_progress: 'cyan',
  answered: 'teal',
  closed: 'gray',
  transferred: 'orange',
  reopened: 'yellow',
  duplicate: 'gray',
  rejected: 'dark',
};
const PRIORITY_COLOR: Record<TicketPriority, string> = { urgent: 'red', normal: 'blue', complex: 'violet' };

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="status-badge" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant={priority === 'urgent' ? 'filled' : 'outline'} data-priority={priority}>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

/** "in 3 hours" / "2 hours late", in the console's language. */
export function relativeTime(iso: string, now: number, lang: string): string {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  const rtf = new Intl.RelativeTimeFormat(lang === 'en' ? 'en' : 'vi', { numeric: 'auto' });
  const abs = Math.abs(minutes);
  if (abs < 60) return rtf.format(minutes, 'minute');
  if (abs < 48 * 60) return rtf.format(Math.round(minutes / 60), 'hour');
  return rtf.format(Math.round(minutes / 1440), 'day');
}

/** The answer deadline as a countdown; red once passed (or when the overdue sweep marked it). */
export function Deadline({ dueAt, overdue, done = false }: { dueAt: string; overdue: boolean; done?: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const late = !done && (overdue || new Date(dueAt).getTime() < now);
  return (
    <Tooltip label={formatDateTime(dueAt, i18n.language)}>
      <Text size="sm" c={late ? 'red' : done ? 'dimmed' : undefined} fw={late ? 700 : undefined} data-testid="deadline" component="span">
        {late ? t('deadline.late', { when: relativeTime(dueAt, now, i18n.language) }) : t('deadline.due', { when: relativeTime(dueAt, now, i18n.language) })}
      </Text>
    </Tooltip>
  );
}
