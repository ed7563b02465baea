// Choosing a new password: forced on first sign-in for seeded demo accounts (the server answers
// nothing else until then), and reachable from the navigation at any time.
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../app/session';
import { ErrorAlert, notifyDone } from '../components/errors';

/** The server's rule (src/console/auth.ts PASSWORD_MIN_LENGTH); checked here too so the form says it before sending. */
const MIN_LENGTH = 10;

export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { refresh, signOut } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mismatch = repeat !== '' && next !== repeat;
  const tooShort = next !== '' && next.length < MIN_LENGTH;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch || tooShort) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/password', { current, next });
      setCurrent('');
      setNext('');
      setRepeat('');
      notifyDone(t('password.changed'));
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const form = (
    <form onSubmit={submit} data-testid="password-form">
      <Stack>
        <Title order={forced ? 1 : 2} size="h3">
          {t('password.title')}
        </Title>
        {forced && (
          <Alert color="yellow" data-testid="password-forced">
            {t('password.forced')}
          </Alert>
        )}
        <Text size="sm" c="dimmed">
          {t('password.rules', { min: MIN_LENGTH })}
        </Text>
        <ErrorAlert error={error} />
        <PasswordInput label={t('password.current')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
        <PasswordInput
          label={t('password.next')}
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={tooShort ? t('password.tooShort', { min: MIN_LENGTH }) : undefined}
        />
        <PasswordInput
          label={t('password.repeat')}
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={mismatch ? t('password.mismatch') : undefined}
        />
        <Button type="submit" loading={busy} data-testid="password-submit">
          {t('password.submit')}
        </Button>
        {forced && (
          <Button variant="subtle" onClick={() => void signOut()}>
            {t('shell.signOut')}
          </Button>
        )}
      </Stack>
    </form>
  );
  if (!forced) return <Paper maw={440} p="md" withBorder>{form}</Paper>;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={440} component="main">
        {form}
      </Paper>
    </Center>
  );
}
