// The frame of every signed-in page: the header (menu button on phones, language, who is signed
// in, sign-out) and the navigation, which lists the pages of PAGES this role may open.
import { AppShell, Burger, Button, Group, NavLink, SegmentedControl, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { notifyError } from '../components/errors';
import { currentLanguage, setLanguage, type Language } from '../i18n';
import { NotificationBell } from './NotificationBell';
import { pagesFor } from './pages';
import { useMe, useSession } from './session';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('shell.language')}
      value={i18n.language === 'en' ? 'en' : 'vi'}
      onChange={(v) => setLanguage(v as Language)}
      data={[
        { value: 'vi', label: 'VI' },
        { value: 'en', label: 'EN' },
      ]}
      data-testid="language-switch"
      key={currentLanguage()}
    />
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const nav = pagesFor(me).filter((p) => p.navLabel);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Title order={1} size="h4" style={{ whiteSpace: 'nowrap' }}>
              {t('shell.title')}
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell />
            <LanguageSwitch />
            <Text size="sm" visibleFrom="sm" data-testid="signed-in-as">
              {me.displayName} · {t(`roles.${me.role}`)}
            </Text>
            <Button size="xs" variant="default" onClick={() => signOut().catch((err: unknown) => notifyError(t, err))} data-testid="sign-out">
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.navigation')}>
        <nav>
          {nav.map((p) => {
            const to = `/${p.navTo ?? p.path}`;
            const here = location.pathname === `/${p.path}` || location.pathname.startsWith(`/${p.path}/`);
            return (
              <NavLink key={p.path} component={Link} to={to} label={t(p.navLabel!)} active={here} onClick={close} data-testid={`nav-${p.path}`} />
            );
          })}
        </nav>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
