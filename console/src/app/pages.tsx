// Every page of the console, in one list: its address under /console/, who may open it, and whether
// (and under which label) the navigation shows it. To add a page, add one entry here (see
// docs/console.md, "Console layout"). The server checks rights on every API route anyway; `roles`
// only keeps the navigation to what a role can use.
import { lazy, Suspense, type ReactNode } from 'react';
import { ROLES, type Me, type Role } from '../api/types';
import { ChangePasswordPage } from '../pages/ChangePasswordPage';
import { InboxPage } from '../pages/InboxPage';
import { TicketPage } from '../pages/TicketPage';
import { AdminAgenciesPage } from '../pages/admin/AdminAgenciesPage';
import { AdminCalendarPage } from '../pages/admin/AdminCalendarPage';
import { AdminCannedAnswersPage } from '../pages/admin/AdminCannedAnswersPage';
import { AdminKnowledgePage } from '../pages/admin/AdminKnowledgePage';
import { AdminRoutingPage } from '../pages/admin/AdminRoutingPage';
import { AdminStaffPage } from '../pages/admin/AdminStaffPage';
import { PressAnnouncementsPage } from '../pages/press/PressAnnouncementsPage';
import { PressDraftPage, PressDraftsPage } from '../pages/press/PressDraftsPage';
import { PressEventPage, PressEventsPage } from '../pages/press/PressEventsPage';
import { PressProfilesPage } from '../pages/press/PressProfilesPage';
import { PressPublishedPage } from '../pages/press/PressPublishedPage';
import { PressRequestPage } from '../pages/press/PressRequestPage';
import { PressRequestsPage } from '../pages/press/PressRequestsPage';
import { PageLoader } from '../components/data';
import { PeriodReportPage } from '../pages/reports/PeriodReportPage';

// The dashboard brings the chart library (recharts): loaded when it is opened, not with every page.
const DashboardPage = lazy(() => import('../pages/reports/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const LazyDashboard = () => (
  <Suspense fallback={<PageLoader />}>
    <DashboardPage />
  </Suspense>
);

export interface PageDef {
  /** Relative to /console/ (react-router syntax: "tickets/:code"). */
  path: string;
  element: ReactNode;
  roles: readonly Role[];
  /** Shown in the navigation under this console.json key; pages without it are reached by links. */
  navLabel?: string;
  /** Where the navigation link goes when it differs from `path` (a path with a query). */
  navTo?: string;
  /** Also for agency leads (agency staff with isLead), whatever `roles` says: they manage their agency's part. */
  leads?: boolean;
}

export const PAGES: PageDef[] = [
  { path: 'inbox', element: <InboxPage />, roles: ROLES, navLabel: 'nav.inbox' },
  { path: 'tickets/:code', element: <TicketPage />, roles: ROLES },
  // Reports, the press center, administration (their labels live in their own key groups).
  { path: 'dashboard', element: <LazyDashboard />, roles: ['admin', 'operator', 'agency_staff', 'press_officer'], navLabel: 'dashboard.nav' },
  { path: 'reports', element: <PeriodReportPage />, roles: ['admin', 'operator', 'press_officer'], navLabel: 'reports.nav' },
  { path: 'press/requests', element: <PressRequestsPage />, roles: ['admin', 'press_officer'], navLabel: 'press.nav.requests' },
  { path: 'press/requests/:code', element: <PressRequestPage />, roles: ['admin', 'press_officer'] },
  { path: 'press/profiles', element: <PressProfilesPage />, roles: ['admin', 'press_officer'], navLabel: 'press.nav.profiles' },
  { path: 'press/events', element: <PressEventsPage />, roles: ['admin', 'press_officer'], navLabel: 'press.nav.events' },
  { path: 'press/events/:id', element: <PressEventPage />, roles: ['admin', 'press_officer'] },
  { path: 'press/announcements', element: <PressAnnouncementsPage />, roles: ['admin', 'press_officer'], navLabel: 'press.nav.announcements' },
  { path: 'press/drafts', element: <PressDraftsPage />, roles: ['admin', 'press_officer', 'agency_staff'], navLabel: 'press.nav.drafts' },
  { path: 'press/drafts/:id', element: <PressDraftPage />, roles: ['admin', 'press_officer', 'agency_staff'] },
  { path: 'press/published', element: <PressPublishedPage />, roles: ['admin', 'press_officer'], navLabel: 'press.nav.published' },
  { path: 'admin/agencies', element: <AdminAgenciesPage />, roles: ['admin'], navLabel: 'admin.nav.agencies' },
  { path: 'admin/staff', element: <AdminStaffPage />, roles: ['admin'], leads: true, navLabel: 'admin.nav.staff' },
  { path: 'admin/routing', element: <AdminRoutingPage />, roles: ['admin', 'operator'], navLabel: 'admin.nav.routing' },
  { path: 'admin/canned-answers', element: <AdminCannedAnswersPage />, roles: ['admin'], leads: true, navLabel: 'admin.nav.canned' },
  { path: 'admin/knowledge', element: <AdminKnowledgePage />, roles: ['admin'], leads: true, navLabel: 'admin.nav.knowledge' },
  { path: 'admin/calendar', element: <AdminCalendarPage />, roles: ['admin'], navLabel: 'admin.nav.calendar' },
  { path: 'password', element: <ChangePasswordPage />, roles: ROLES, navLabel: 'nav.password' },
];

export const pagesFor = (me: Pick<Me, 'role' | 'isLead'>) =>
  PAGES.filter((p) => p.roles.includes(me.role) || (p.leads === true && me.role === 'agency_staff' && me.isLead === true));

/** Where a signed-in staff member lands: the first page of the navigation they may open. */
export const homeFor = (me: Pick<Me, 'role' | 'isLead'>) => {
  const first = pagesFor(me).find((p) => p.navLabel);
  return `/${first?.navTo ?? first?.path ?? 'password'}`;
};
