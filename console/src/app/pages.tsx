// Every page of the console, in one list: its address under /console/, who may open it, and whether
// (and under which label) the navigation shows it. To add a page, add one entry here (see
// docs/console.md, "Console layout"). The server checks rights on every API route anyway; `roles`
// only keeps the navigation to what a role can use.
import type { ReactNode } from 'react';
import { ROLES, type Role } from '../api/types';
import { ChangePasswordPage } from '../pages/ChangePasswordPage';
import { InboxPage } from '../pages/InboxPage';
import { TicketPage } from '../pages/TicketPage';

export interface PageDef {
  /** Relative to /console/ (react-router syntax: "tickets/:code"). */
  path: string;
  element: ReactNode;
  roles: readonly Role[];
  /** Shown in the navigation under this console.json key; pages without it are reached by links. */
  navLabel?: string;
  /** Where the navigation link goes when it differs from `path` (a path with a query). */
  navTo?: string;
}

export const PAGES: PageDef[] = [
  { path: 'inbox', element: <InboxPage />, roles: ROLES, navLabel: 'nav.inbox' },
  { path: 'tickets/:code', element: <TicketPage />, roles: ROLES },
  { path: 'password', element: <ChangePasswordPage />, roles: ROLES, navLabel: 'nav.password' },
];

export const pagesFor = (role: Role) => PAGES.filter((p) => p.roles.includes(role));

/** Where a signed-in staff member lands: the first page of the navigation they may open. */
export const homeFor = (role: Role) => {
  const first = pagesFor(role).find((p) => p.navLabel);
  return `/${first?.navTo ?? first?.path ?? 'password'}`;
};
