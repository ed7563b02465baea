// What the console shows: sign-in while signed out, the password change while the account must
// choose a new one, otherwise the page of the address inside the shell.
import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { ChangePasswordPage } from '../pages/ChangePasswordPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { SignInPage } from '../pages/SignInPage';
import { LiveProvider } from './live';
import { homeFor, pagesFor } from './pages';
import { useSession } from './session';
import { Shell } from './Shell';

export function App() {
  const { t } = useTranslation();
  const { state } = useSession();
  if (state.status === 'loading') {
    return (
      <Center h="100vh">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  // The address stays as it was: once signed in, the staff member is where they meant to go.
  if (state.status === 'signed_out') return <SignInPage reason={state.reason} />;
  if (state.me.mustChangePassword) return <ChangePasswordPage forced />;
  const home = homeFor(state.me);
  return (
    <LiveProvider>
    <Shell>
      <Routes>
        <Route index element={<Navigate to={home} replace />} />
        {pagesFor(state.me).map((p) => (
          <Route key={p.path} path={p.path} element={p.element} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
    </LiveProvider>
  );
}
