// The one transition table: who may move a ticket from which status to which, and how the
// statuses group. Pure: no database (tests/console/lifecycle.test.ts drives the moves end to end).
import { TicketStatus } from '../../src/generated/prisma/enums';
import { createTranslator, LOCALES } from '../../src/i18n';
import {
  ALL_STATUSES,
  FINAL_STATUSES,
  isFinal,
  isOpen,
  mayMove,
  NOT_OPEN_STATUSES,
  NOT_TAKEN_STATUSES,
  noticeText,
  OPEN_STATUSES,
  statusGroup,
  TRANSITIONS,
  WAITING_FOR_PERSON_STATUSES,
  type Mover,
  type Notice,
} from '../../src/tickets/lifecycle';

type Case = [Mover, TicketStatus, TicketStatus];

const ALLOWED: Case[] = [
  // Staff: assigning, transferring, taking on, answering, closing, rejecting, reopening, merging.
  ['staff', 'triage', 'assigned'],
  ['staff', 'assigned', 'transferred'],
  ['staff', 'transferred', 'transferred'],
  ['staff', 'in_progress', 'transferred'],
  ['staff', 'reopened', 'transferred'],
  ['staff', 'assigned', 'triage'],
  ['staff', 'in_progress', 'triage'],
  ['staff', 'assigned', 'in_progress'],
  ['staff', 'transferred', 'in_progress'],
  ['staff', 'reopened', 'in_progress'],
  ['staff', 'triage', 'answered'],
  ['staff', 'transferred', 'answered'],
  ['staff', 'in_progress', 'answered'],
  ['staff', 'answered', 'answered'],
  ['staff', 'triage', 'closed'],
  ['staff', 'in_progress', 'closed'],
  ['staff', 'answered', 'closed'],
  ['staff', 'triage', 'rejected'],
  ['staff', 'assigned', 'rejected'],
  ['staff', 'transferred', 'rejected'],
  ['staff', 'answered', 'reopened'],
  ['staff', 'closed', 'reopened'],
  ['staff', 'triage', 'duplicate'],
  ['staff', 'in_progress', 'duplicate'],
  ['staff', 'answered', 'duplicate'],
  // The person, on an answer: not solved (to the agency, or the second time to the operators), solved.
  ['person', 'answered', 'reopened'],
  ['person', 'answered', 'triage'],
  ['person', 'answered', 'closed'],
  // The system routes a ticket when it is opened.
  ['system', 'new', 'triage'],
  ['system', 'new', 'assigned'],
];

const REFUSED: Case[] = [
  // Final tickets stay final (only a closed one can be reopened, by staff).
  ['staff', 'closed', 'in_progress'],
  ['staff', 'closed', 'closed'],
  ['staff', 'closed', 'answered'],
  ['staff', 'rejected', 'reopened'],
  ['staff', 'rejected', 'assigned'],
  ['staff', 'duplicate', 'reopened'],
  ['staff', 'duplicate', 'in_progress'],
  // An answered ticket waits for the person: reopen it before moving it on or rejecting it.
  ['staff', 'answered', 'transferred'],
  ['staff', 'answered', 'in_progress'],
  ['staff', 'answered', 'rejected'],
  // Only an agency takes a ticket on; the operators' triage assigns it first.
  ['staff', 'triage', 'in_progress'],
  ['staff', 'triage', 'transferred'],
  ['staff', 'in_progress', 'in_progress'],
  // Opening and routing are the system's; nothing goes back to new.
  ['staff', 'new', 'assigned'],
  ['staff', 'assigned', 'new'],
  // The person only judges an answer.
  ['person', 'in_progress', 'closed'],
  ['person', 'assigned', 'reopened'],
  ['person', 'closed', 'reopened'],
  ['person', 'answered', 'rejected'],
  // The system routes new tickets only.
  ['system', 'triage', 'assigned'],
  ['system', 'answered', 'closed'],
];

describe('ticket lifecycle', () => {
  it.each(ALLOWED)('%s may move %s → %s', (by, from, to) => {
    expect(mayMove(by, from, to)).toBe(true);
  });

  it.each(REFUSED)('%s may not move %s → %s', (by, from, to) => {
    expect(mayMove(by, from, to)).toBe(false);
  });

  it('puts every status in exactly one group', () => {
    expect([...ALL_STATUSES].sort()).toEqual(Object.values(TicketStatus).sort());
    const grouped = [...OPEN_STATUSES, ...WAITING_FOR_PERSON_STATUSES, ...FINAL_STATUSES].sort();
    expect(grouped).toEqual([...ALL_STATUSES].sort());
    expect(WAITING_FOR_PERSON_STATUSES).toEqual(['answered']);
    expect([...FINAL_STATUSES].sort()).toEqual(['closed', 'duplicate', 'rejected']);
    expect([...NOT_OPEN_STATUSES].sort()).toEqual(['answered', 'closed', 'duplicate', 'rejected']);
    for (const s of ALL_STATUSES) {
      expect({ s, open: isOpen(s), final: isFinal(s) }).toEqual({ s, open: statusGroup(s) === 'open', final: statusGroup(s) === 'final' });
    }
    // The accept deadline runs on open tickets no agency has taken on.
    for (const s of NOT_TAKEN_STATUSES) expect(isOpen(s)).toBe(true);
  });

  it('lets nothing out of a final status but a staff reopening of a closed ticket', () => {
    for (const by of Object.keys(TRANSITIONS) as Mover[]) {
      for (const from of FINAL_STATUSES) {
        const out = ALL_STATUSES.filter((to) => mayMove(by, from, to));
        expect({ by, from, out }).toEqual({ by, from, out: by === 'staff' && from === 'closed' ? ['reopened'] : [] });
      }
    }
  });

  it('names only real statuses in the table, and never moves anything back to new', () => {
    for (const [by, rows] of Object.entries(TRANSITIONS)) {
      for (const [from, tos] of Object.entries(rows)) {
        expect(ALL_STATUSES).toContain(from);
        for (const to of tos ?? []) {
          expect(ALL_STATUSES).toContain(to);
          expect({ by, from, to: to === 'new' }).toEqual({ by, from, to: false });
        }
      }
    }
  });

  it('has a text for every notice in both languages, naming the tracking code', async () => {
    const translator = await createTranslator();
    const keys: Notice['key'][] = ['assigned', 'transferred', 'returned_to_triage', 'in_progress', 'rejected', 'closed', 'reopened', 'duplicate'];
    for (const locale of LOCALES) {
      for (const key of keys) {
        const text = noticeText(translator, locale, {
          key,
          code: 'HCM-26-7K3QD',
          agency: { name: 'Sở Xây dựng', nameEn: 'Department of Construction' },
          reason: 'Không thuộc thẩm quyền',
          into: 'HCM-26-AAAAA',
        });
        expect({ locale, key, hasCode: text.includes('HCM-26-7K3QD'), isKey: text.includes('notify:') || text === key }).toEqual({
          locale,
          key,
          hasCode: true,
          isKey: false,
        });
      }
    }
    const en = (key: Notice['key']) =>
      noticeText(translator, 'en', { key, code: 'HCM-26-7K3QD', agency: { name: 'Sở Xây dựng', nameEn: 'Department of Construction' }, reason: 'Out of scope', into: 'HCM-26-AAAAA' });
    expect(en('transferred')).toContain('Department of Construction');
    expect(en('rejected')).toContain('Out of scope');
    expect(en('duplicate')).toContain('HCM-26-AAAAA');
  });
});
