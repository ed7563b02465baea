// The ticket's messages: who wrote, when, the text, attachments (images inline through the
// attachment route, a place as coordinates with an OpenStreetMap link: no map tiles, which cannot
// load offline) and, for what staff sent, whether it reached the person.
import { Anchor, Badge, Group, Image, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Attachment, TicketMessage } from '../../api/types';
import { formatDateTime } from '../../components/data';

export const osmLink = (lat: number, lon: number) => `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;

export function Coordinates({ latitude, longitude }: { latitude: number; longitude: number }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" component="span">
      {latitude.toFixed(5)}, {longitude.toFixed(5)}{' '}
      <Anchor href={osmLink(latitude, longitude)} target="_blank" rel="noopener noreferrer">
        {t('ticketView.openMap')}
      </Anchor>
    </Text>
  );
}

function AttachmentView({ a, index }: { a: Attachment; index: number }) {
  const { t } = useTranslation();
  if (a.hidden) return <Text size="sm" c="dimmed">{t('ticketView.attachmentHidden', { type: t(`attachment.${a.type}`) })}</Text>;
  if (a.type === 'location' && a.latitude !== undefined && a.longitude !== undefined) {
    return (
      <Text size="sm">
        📍 {t('attachment.location')}: <Coordinates latitude={a.latitude} longitude={a.longitude} />
      </Text>
    );
  }
  if (a.type === 'contact') return <Text size="sm">{t('attachment.contact')}: {a.name ?? ''} {a.phone ?? ''}</Text>;
  const href = a.href ?? a.url;
  if (!href) return <Text size="sm">{t(`attachment.${a.type}`)}</Text>;
  const name = a.name ?? `${t(`attachment.${a.type}`)} ${index + 1}`;
  if (a.type === 'image' || a.type === 'sticker') {
    return (
      <Anchor href={href} target="_blank" rel="noopener noreferrer">
        <Image src={href} alt={name} maw={320} mah={320} fit="contain" radius="sm" data-testid="message-image" />
      </Anchor>
    );
  }
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer" size="sm">
      {t(`attachment.${a.type}`)}: {name}
    </Anchor>
  );
}

function DeliveryState({ m }: { m: TicketMessage }) {
  const { t } = useTranslation();
  if (m.direction !== 'outbound' || m.delivery === 'none') return null;
  const color = { pending: 'yellow', sent: 'blue', delivered: 'teal', seen: 'teal', failed: 'red', none: 'gray' }[m.delivery];
  return (
    <Stack gap={2}>
      <Badge size="sm" color={color} variant="light" data-testid="delivery" data-delivery={m.delivery}>
        {t(`delivery.${m.delivery}`)}
      </Badge>
      {m.delivery === 'failed' && (
        <Text size="xs" c="red" data-testid="delivery-error">
          {t('delivery.failedWhy', { why: m.deliveryError ?? t('delivery.noReason') })}
          {m.author === 'agent' ? ` ${t('delivery.onTrackingPage')}` : ''}
        </Text>
      )}
    </Stack>
  );
}

export function Messages({ messages, ticketId, people }: { messages: TicketMessage[]; ticketId: string; people: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  if (messages.length === 0) return <Text c="dimmed">{t('ticketView.noMessages')}</Text>;
  return (
    <Stack gap="xs" data-testid="messages">
      {messages.map((m) => {
        const outbound = m.direction === 'outbound';
        const other = m.ticketId !== ticketId;
        return (
          <Paper
            key={m.id}
            withBorder
            p="xs"
            bg={outbound ? (m.author === 'agent' ? 'teal.0' : 'gray.0') : undefined}
            ml={outbound ? { base: 0, sm: 'xl' } : 0}
            mr={outbound ? 0 : { base: 0, sm: 'xl' }}
            opacity={other ? 0.75 : 1}
            data-testid="message"
            data-author={m.author}
          >
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Text size="xs" fw={600}>
                {t(`author.${m.author}`)}
                {m.staffUserId && people.has(m.staffUserId) ? ` · ${people.get(m.staffUserId)}` : ''}
                {other ? ` · ${t('ticketView.otherRequest')}` : ''}
                {m.rateLimited ? ` · ${t('ticketView.rateLimited')}` : ''}
              </Text>
              <Text size="xs" c="dimmed">
                {formatDateTime(m.createdAt, i18n.language)}
              </Text>
            </Group>
            {(m.fullText ?? m.text) && (
              <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="message-text">
                {m.fullText ?? m.text}
              </Text>
            )}
            {m.attachments.length > 0 && (
              <Stack gap={4} mt={4}>
                {m.attachments.map((a, i) => (
                  <AttachmentView key={i} a={a} index={i} />
                ))}
              </Stack>
            )}
            <DeliveryState m={m} />
          </Paper>
        );
      })}
    </Stack>
  );
}
