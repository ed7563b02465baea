// Sign-in with e-mail and password. Shown whenever there is no session, so the address the staff
// member opened is still theirs after signing in; says why when a session ended (expired).
import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { LanguageSwitch } from '../app/Shell';
import { useSession } from '../app/session';
import { ErrorAlert } from '../components/errors';

export function SignInPage({ reason }: { reason?: ApiError }) {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="lg" w="100%" maw={400} component="main">
        <form onSubmit={submit} data-testid="sign-in-form">
          <Stack>
            <Group justify="space-between" wrap="nowrap">
              <Title order={1} size="h3">
                {t('signIn.title')}
              </Title>
              <LanguageSwitch />
            </Group>
            {reason && !error && (
              <Alert color="yellow" data-testid="session-ended">
                {reason.message.includes('expired') ? t('signIn.expired') : t('signIn.signInAgain')}
              </Alert>
            )}
            <ErrorAlert error={error} title={t('signIn.failed')} />
            <TextInput
              label={t('signIn.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              name="email"
            />
            <PasswordInput
              label={t('signIn.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              name="password"
            />
            <Button type="submit" loading={busy} data-testid="sign-in">
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
