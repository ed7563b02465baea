// Messages without words: a sticker asks for words and opens nothing; a photo or location alone is
// a report (it opens a ticket, or joins the open one) and the bot asks for a few words about it.
import { intakeFlow } from '../../flows/intake';
import type { FlowContext, TicketView } from '../../flows/types';
import type { Attachment } from '../../src/channels/types';

function context(text: string, attachments: Attachment[], state: Record<string, unknown> = {}) {
  const calls: string[] = [];
  const view = {
    ticket: { id: 't1', trackingCode: 'HCM-26-7K3QD', status: 'triage', priority: 'normal', topic: null, acceptDueAt: new Date(), dueAt: new Date() },
    agencyName: 'Tổ tiếp nhận',
  } as unknown as TicketView;
  const ctx: FlowContext = {
    locale: 'vi',
    text,
    attachments,
    state,
    understanding: null,
    t: (key) => key,
    trackingUrl: (code) => `https://hotline.test/t/${code}`,
    formatTime: () => '10:00',
    parseDeadline: () => null,
    openTicket: async () => (calls.push('open'), view),
    openTicketById: async () => (calls.push('openById'), view),
    addToTicket: async () => (calls.push('add'), view),
    findTicket: async () => null,
    latestTicket: async () => null,
    messageId: 'm1',
    setLocale: async () => undefined,
    openTickets: async () => [],
    answeredTicket: async () => null,
    reopenTicket: async () => ({ view, toOperators: false }),
    closeSolved: async () => null,
    consentedPhone: null,
    recordConsent: async () => undefined,
    searchKnowledge: () => [],
    knowledgeEntry: () => null,
    handOff: async () => (calls.push('handOff'), view),
    rateTicket: async () => false,
    attachMessages: async () => undefined,
    // Media messages never reach the press center's conferences, announcements or drafts.
    publicRecord: {} as FlowContext['publicRecord'],
  };
  return { ctx, calls };
}

const photo: Attachment = { type: 'image', url: 'https://photo.zdn.vn/ngap.jpg' };
const sticker: Attachment = { type: 'sticker', name: 'bfe458bf' };

describe('intake: messages without words', () => {
  it('answers a sticker by asking for words, and opens nothing', async () => {
    const { ctx, calls } = context('', [sticker]);
    const result = await intakeFlow.steps.start!(ctx);
    expect(result.replies.map((r) => r.text)).toEqual(['media.say_more']);
    expect(calls).toEqual([]);
    expect(result.next).toBe('start');
  });

  it('treats something the platform could not pass on (no url) like a sticker', async () => {
    const { ctx, calls } = context('', [{ type: 'file', name: 'unsupported: protected message' }]);
    expect((await intakeFlow.steps.start!(ctx)).replies.map((r) => r.text)).toEqual(['media.say_more']);
    expect(calls).toEqual([]);
  });

  it('opens a ticket for a photo alone and asks for a description', async () => {
    const { ctx, calls } = context('', [photo]);
    const result = await intakeFlow.steps.start!(ctx);
    expect(calls).toEqual(['open']);
    expect(result.replies.map((r) => r.text)).toEqual(['ticket.opened', 'media.describe']);
    expect(result.replies.map((r) => r.key)).toEqual(['ticket.opened', 'media.describe']);
    expect(result.replies.every((r) => r.ticketId === 't1')).toBe(true);
    expect(result).toMatchObject({ next: 'ticket_open', state: { ticketId: 't1' } });
  });

  it('adds a photo sent after the report to the open ticket; a sticker then changes nothing', async () => {
    const added = context('', [photo], { ticketId: 't1' });
    expect((await intakeFlow.steps.ticket_open!(added.ctx)).replies.map((r) => r.text)).toEqual(['ticket.appended']);
    expect(added.calls).toEqual(['openById', 'add']);
    const thanks = context('', [sticker], { ticketId: 't1' });
    const result = await intakeFlow.steps.ticket_open!(thanks.ctx);
    expect(result.replies.map((r) => r.text)).toEqual(['media.say_more']);
    expect(result.next).toBe('ticket_open');
    expect(thanks.calls).toEqual([]);
  });
});
