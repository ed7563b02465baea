// What staff do to a ticket: reply (with canned answers when the hotline has them, and images),
// internal note, take / give to a colleague, assign from triage or transfer with a reason, move
// the status (reject with a reason), merge a duplicate. Each calls its API route; the server
// decides (a move the lifecycle refuses comes back as 409 and is shown).
import { Button, Group, Select, Stack, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { TICKET_PRIORITIES, type Agency, type Me, type TicketDetail, type TicketStatus } from '../../api/types';
import { ErrorAlert, notifyDone } from '../../components/errors';

export interface Colleague {
  id: string;
  displayName: string;
  role: string;
  isLead: boolean;
}
interface CannedAnswer {
  id: string;
  title: string;
  text: string;
}

/**
 * The moves POST /tickets/:code/status offers from each status, as the lifecycle table
 * (src/tickets/lifecycle.ts, the owner) allows staff to make them; only these buttons are shown.
 */
const STATUS_MOVES: Partial<Record<TicketStatus, readonly ('in_progress' | 'closed' | 'reopened' | 'rejected')[]>> = {
  triage: ['closed', 'rejected'],
  assigned: ['in_progress', 'closed', 'rejected'],
  transferred: ['in_progress', 'closed', 'rejected'],
  in_progress: ['closed', 'rejected'],
  reopened: ['in_progress', 'closed', 'rejected'],
  answered: ['reopened', 'closed'],
  closed: ['reopened'],
};
const FINAL = new Set<TicketStatus>(['closed', 'rejected', 'duplicate']);
const IMAGE_URL = /^https:\/\/\S+$/;

/** One action's form: runs `action`, shows its error in place, says when it is done. */
function useAction(onDone: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run(name: string, action: () => Promise<unknown>, done: string) {
    setBusy(name);
    setError(null);
    try {
      await action();
      notifyDone(done);
      onDone();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(null);
    }
  }
  return { busy, error, run };
}

function Section({ children, error }: { children: ReactNode; error: unknown }) {
  return (
    <Stack gap="xs" pt="xs">
      <ErrorAlert error={error} />
      {children}
    </Stack>
  );
}

export function Actions({
  detail,
  me,
  agencies,
  colleagues,
  onChanged,
}: {
  detail: TicketDetail;
  me: Me;
  agencies: Agency[];
  colleagues: Colleague[];
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { ticket } = detail;
  const path = `/tickets/${encodeURIComponent(ticket.trackingCode)}`;
  const { busy, error, run } = useAction(onChanged);
  const final = FINAL.has(ticket.status);

  // Reply
  const [reply, setReply] = useState('');
  const [images, setImages] = useState('');
  const [canned, setCanned] = useState<CannedAnswer[] | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    // Canned answers come with the hotline that has them; without (404) the picker is not shown.
    api.get<CannedAnswer[]>('/canned-answers', { ticket: ticket.trackingCode }, { signal: abort.signal }).then(
      (list) => setCanned(Array.isArray(list) && list.length > 0 ? list : null),
      (err: unknown) => {
        if (!(err instanceof ApiError)) return;
        setCanned(null);
      },
    );
    return () => abort.abort();
  }, [ticket.trackingCode]);
  const imageList = images.split(/\s+/).filter(Boolean);
  const badImages = imageList.filter((u) => !IMAGE_URL.test(u));

  async function sendReply(e: FormEvent) {
    e.preventDefault();
    if (!reply.trim() || badImages.length > 0 || imageList.length > 4) return;
    const ok = await run('reply', () => api.post(`${path}/replies`, { text: reply.trim(), ...(imageList.length ? { images: imageList } : {}) }), t('actions.replied'));
    if (ok) {
      setReply('');
      setImages('');
    }
  }

  // Note
  const [note, setNote] = useState('');
  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (!note.trim()) return;
    if (await run('note', () => api.post(`${path}/notes`, { text: note.trim() }), t('actions.noted'))) setNote('');
  }

  // Route / transfer
  const [agencyId, setAgencyId] = useState<string | null>(null);
  const [routeReason, setRouteReason] = useState('');
  const fromTriage = ticket.status === 'triage';
  async function route(e: FormEvent) {
    e.preventDefault();
    if (!agencyId || routeReason.trim().length < 3) return;
    const ok = await run('route', () => api.post(`${path}/assign`, { agencyId, reason: routeReason.trim() }), fromTriage ? t('actions.assigned') : t('actions.transferred'));
    if (ok) {
      setAgencyId(null);
      setRouteReason('');
    }
  }

  // Status
  const [rejectReason, setRejectReason] = useState('');
  const moves = STATUS_MOVES[ticket.status] ?? [];
  const move = (status: 'in_progress' | 'closed' | 'reopened', label: string) =>
    run(`status-${status}`, () => api.post(`${path}/status`, { status }), label);
  async function reject(e: FormEvent) {
    e.preventDefault();
    if (rejectReason.trim().length < 3) return;
    if (await run('status-rejected', () => api.post(`${path}/status`, { status: 'rejected', reason: rejectReason.trim() }), t('actions.rejected'))) setRejectReason('');
  }

  // Priority
  const [priority, setPriority] = useState<string | null>(ticket.priority);
  const [priorityReason, setPriorityReason] = useState('');
  useEffect(() => setPriority(ticket.priority), [ticket.priority]);
  async function changePriority(e: FormEvent) {
    e.preventDefault();
    if (!priority || priority === ticket.priority) return;
    const reason = priorityReason.trim();
    const ok = await run('priority', () => api.post(`${path}/priority`, { priority, ...(reason.length >= 3 ? { reason } : {}) }), t('actions.priorityChanged'));
    if (ok) setPriorityReason('');
  }

  // Merge
  const [into, setInto] = useState('');
  const [mergeReason, setMergeReason] = useState('');
  async function merge(e: FormEvent) {
    e.preventDefault();
    if (into.trim().length < 5) return;
    const ok = await run(
      'merge',
      () => api.post(`${path}/merge`, { into: into.trim(), ...(mergeReason.trim().length >= 3 ? { reason: mergeReason.trim() } : {}) }),
      t('actions.merged'),
    );
    if (ok) setInto('');
  }

  // Take / give to a colleague
  const [colleague, setColleague] = useState<string | null>(null);
  const ownAgency = me.agencyId !== null && me.agencyId === ticket.agencyId;
  const canTake = ownAgency && ticket.assigneeId !== me.id && !final;

  const agencyOptions = agencies
    .filter((a) => a.id !== ticket.agencyId)
    .map((a) => ({ value: a.id, label: i18n.language === 'en' && a.nameEn ? a.nameEn : a.name }));

  return (
    <Stack gap="xs" data-testid="actions">
      {(canTake || colleagues.length > 0) && !final && (
        <Group align="flex-end" gap="xs" wrap="wrap">
          {canTake && (
            <Button onClick={() => void run('take', () => api.post(`${path}/take`), t('actions.taken'))} loading={busy === 'take'} data-testid="take">
              {t('actions.take')}
            </Button>
          )}
          {colleagues.length > 0 && (
            <>
              <Select
                label={t('actions.colleague')}
                placeholder={t('actions.pickColleague')}
                data={colleagues.map((c) => ({ value: c.id, label: c.isLead ? `${c.displayName} (${t('actions.lead')})` : c.displayName }))}
                value={colleague}
                onChange={setColleague}
                data-testid="colleague"
                style={{ flex: 1, minWidth: 180 }}
              />
              <Button
                variant="light"
                disabled={!colleague}
                loading={busy === 'assign-user'}
                onClick={() => colleague && void run('assign-user', () => api.post(`${path}/assign-user`, { staffUserId: colleague }), t('actions.givenTo'))}
                data-testid="assign-user"
              >
                {t('actions.giveTo')}
              </Button>
            </>
          )}
        </Group>
      )}

      <Tabs defaultValue={final ? 'status' : 'reply'} keepMounted={false}>
        <Tabs.List>
          {!final && <Tabs.Tab value="reply">{t('actions.tab.reply')}</Tabs.Tab>}
          <Tabs.Tab value="note">{t('actions.tab.note')}</Tabs.Tab>
          {!final && (
            <Tabs.Tab value="route" data-testid="tab-route">
              {fromTriage ? t('actions.tab.assign') : t('actions.tab.transfer')}
            </Tabs.Tab>
          )}
          <Tabs.Tab value="status" data-testid="tab-status">
            {t('actions.tab.status')}
          </Tabs.Tab>
          {!final && (
            <Tabs.Tab value="merge" data-testid="tab-merge">
              {t('actions.tab.merge')}
            </Tabs.Tab>
          )}
        </Tabs.List>

        <Tabs.Panel value="reply">
          <Section error={error}>
            <form onSubmit={sendReply} data-testid="reply-form">
              <Stack gap="xs">
                {canned && (
                  <Select
                    label={t('actions.canned')}
                    placeholder={t('actions.pickCanned')}
                    data={canned.map((c) => ({ value: c.id, label: c.title }))}
                    onChange={(id) => {
                      const c = canned.find((x) => x.id === id);
                      if (c) setReply(c.text);
                    }}
                    searchable
                    clearable
                    data-testid="canned-picker"
                  />
                )}
                <Textarea
                  label={t('actions.replyText')}
                  description={t('actions.replyHint', { channel: t(`channels.${detail.contact.channel}`) })}
                  autosize
                  minRows={3}
                  maxRows={12}
                  required
                  value={reply}
                  onChange={(e) => setReply(e.currentTarget.value)}
                  data-testid="reply-text"
                />
                <Textarea
                  label={t('actions.images')}
                  description={t('actions.imagesHint')}
                  autosize
                  minRows={1}
                  value={images}
                  onChange={(e) => setImages(e.currentTarget.value)}
                  error={badImages.length > 0 ? t('actions.badImages') : imageList.length > 4 ? t('actions.tooManyImages') : undefined}
                />
                <Group>
                  <Button type="submit" loading={busy === 'reply'} disabled={!reply.trim()} data-testid="send-reply">
                    {t('actions.send')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Section>
        </Tabs.Panel>

        <Tabs.Panel value="note">
          <Section error={error}>
            <form onSubmit={addNote}>
              <Stack gap="xs">
                <Textarea
                  label={t('actions.noteText')}
                  description={t('actions.noteHint')}
                  autosize
                  minRows={2}
                  required
                  value={note}
                  onChange={(e) => setNote(e.currentTarget.value)}
                  data-testid="note-text-input"
                />
                <Group>
                  <Button type="submit" variant="light" loading={busy === 'note'} disabled={!note.trim()} data-testid="add-note">
                    {t('actions.addNote')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Section>
        </Tabs.Panel>

        <Tabs.Panel value="route">
          <Section error={error}>
            <form onSubmit={route}>
              <Stack gap="xs">
                <Select
                  label={t('actions.agency')}
                  placeholder={t('actions.pickAgency')}
                  data={agencyOptions}
                  value={agencyId}
                  onChange={setAgencyId}
                  searchable
                  required
                  data-testid="route-agency"
                />
                <Textarea
                  label={t('actions.routeReason')}
                  description={t('actions.routeReasonHint')}
                  autosize
                  minRows={2}
                  required
                  value={routeReason}
                  onChange={(e) => setRouteReason(e.currentTarget.value)}
                  data-testid="route-reason"
                />
                <Group>
                  <Button type="submit" loading={busy === 'route'} disabled={!agencyId || routeReason.trim().length < 3} data-testid="route-submit">
                    {fromTriage ? t('actions.assign') : t('actions.transfer')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Section>
        </Tabs.Panel>

        <Tabs.Panel value="status">
          <Section error={error}>
            {moves.length === 0 && <Text size="sm">{t('actions.noMoves')}</Text>}
            <Group gap="xs" wrap="wrap">
              {moves.includes('in_progress') && (
                <Button variant="light" loading={busy === 'status-in_progress'} onClick={() => void move('in_progress', t('actions.movedInProgress'))} data-testid="status-in_progress">
                  {t('actions.inProgress')}
                </Button>
              )}
              {moves.includes('closed') && (
                <Button variant="light" color="gray" loading={busy === 'status-closed'} onClick={() => void move('closed', t('actions.movedClosed'))} data-testid="status-closed">
                  {t('actions.close')}
                </Button>
              )}
              {moves.includes('reopened') && (
                <Button variant="light" color="yellow" loading={busy === 'status-reopened'} onClick={() => void move('reopened', t('actions.movedReopened'))} data-testid="status-reopened">
                  {t('actions.reopen')}
                </Button>
              )}
            </Group>
            {!final && <Text size="xs" c="dimmed">{t('actions.answeredByReply')}</Text>}
            {!final && (
              <form onSubmit={changePriority}>
                <Stack gap="xs">
                  <Select
                    label={t('actions.priority')}
                    description={t('actions.priorityHint')}
                    data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                    value={priority}
                    onChange={setPriority}
                    allowDeselect={false}
                    data-testid="priority-select"
                  />
                  <TextInput label={t('actions.priorityReason')} value={priorityReason} onChange={(e) => setPriorityReason(e.currentTarget.value)} />
                  <Group>
                    <Button type="submit" variant="light" loading={busy === 'priority'} disabled={!priority || priority === ticket.priority} data-testid="priority-submit">
                      {t('actions.changePriority')}
                    </Button>
                  </Group>
                </Stack>
              </form>
            )}
            {moves.includes('rejected') && (
              <form onSubmit={reject}>
                <Stack gap="xs">
                  <Textarea
                    label={t('actions.rejectReason')}
                    description={t('actions.rejectHint')}
                    autosize
                    minRows={2}
                    value={rejectReason}
                    onChange={(e) => setRejectReason(e.currentTarget.value)}
                    data-testid="reject-reason"
                  />
                  <Group>
                    <Button type="submit" color="red" variant="light" loading={busy === 'status-rejected'} disabled={rejectReason.trim().length < 3} data-testid="status-rejected">
                      {t('actions.reject')}
                    </Button>
                  </Group>
                </Stack>
              </form>
            )}
          </Section>
        </Tabs.Panel>

        <Tabs.Panel value="merge">
          <Section error={error}>
            <form onSubmit={merge}>
              <Stack gap="xs">
                <TextInput
                  label={t('actions.mergeInto')}
                  description={t('actions.mergeHint')}
                  placeholder="HCM-26-7K3QD"
                  required
                  value={into}
                  onChange={(e) => setInto(e.currentTarget.value)}
                  data-testid="merge-into"
                />
                <TextInput label={t('actions.mergeReason')} value={mergeReason} onChange={(e) => setMergeReason(e.currentTarget.value)} />
                <Group>
                  <Button type="submit" variant="light" loading={busy === 'merge'} disabled={into.trim().length < 5} data-testid="merge-submit">
                    {t('actions.merge')}
                  </Button>
                </Group>
              </Stack>
            </form>
          </Section>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
