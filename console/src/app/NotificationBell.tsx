// The bell in the header: how many of my notifications are unread (new ticket for my agency,
// overdue, reopened), the latest ones with a link to their ticket, and "mark all read". It reloads
// when the live stream says a notification came (src/console/routes/live.ts), so the count is
// right without a reload of the page.
import { ActionIcon, Button, Group, Indicator, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { NotificationList } from '../api/types';
import { formatDateTime, useApiData } from '../components/data';
import { notifyError } from '../components/errors';
import { useLiveEvents } from './live';

const SHOWN = 8;

export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const list = useApiData<NotificationList>('/notifications', { limit: SHOWN });
  useLiveEvents((e) => {
    if (e.type === 'notification') void list.reload();
  });
  const unread = list.data?.unread ?? 0;

  const open = async (id: string, code: string) => {
    setOpened(false);
    try {
      await api.post(`/notifications/${id}/read`);
    } catch (err) {
      notifyError(t, err);
    }
    void list.reload();
    navigate(`/tickets/${code}`);
  };
  const readAll = async () => {
    try {
      await api.post('/notifications/read-all');
    } catch (err) {
      notifyError(t, err);
    }
    await list.reload();
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={320} shadow="md" trapFocus>
      <Popover.Target>
        <Indicator label={unread > 99 ? '99+' : unread} size={16} disabled={unread === 0} offset={4} data-testid="notification-count">
          <ActionIcon variant="default" size="lg" onClick={() => setOpened((o) => !o)} aria-label={t('notifications.bell', { count: unread })} data-testid="notification-bell">
            <span aria-hidden="true">🔔</span>
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" data-testid="notification-list">
          <Group justify="space-between" wrap="nowrap">
            <Text fw={600}>{t('notifications.title')}</Text>
            <Button size="compact-xs" variant="subtle" onClick={() => void readAll()} disabled={unread === 0} data-testid="notifications-read-all">
              {t('notifications.readAll')}
            </Button>
          </Group>
          {(list.data?.items ?? []).map((n) => (
            <UnstyledButton key={n.id} onClick={() => void open(n.id, n.ticketCode)} data-testid="notification" data-read={n.read}>
              <Text size="sm" fw={n.read ? 400 : 600}>
                {n.title}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`notifications.kind.${n.kind}`)} · {n.ticketCode} · {formatDateTime(n.at, i18n.language)}
              </Text>
            </UnstyledButton>
          ))}
          {list.data && list.data.items.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('notifications.none')}
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
