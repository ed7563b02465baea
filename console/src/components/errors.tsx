// How the console shows a failed request: the error's own text in the staff member's language
// when the console knows its code (errors.<code> in console.json), else the server's message.
import { Alert } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import i18next, { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const known = t(`errors.${err.code}`, { defaultValue: '', seconds: err.retryAfter ?? 0 });
    return known || err.message;
  }
  if (err instanceof Error) return err.message;
  return t('errors.unknown');
}

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" title={title ?? t('errors.title')} role="alert" data-testid="error-alert">
      {errorText(t, error)}
    </Alert>
  );
}

/** Shows a notification whose close button is named (Mantine's has only an icon). */
export function notify(opts: { color: string; title?: string; message: string }): void {
  notifications.show({ ...opts, closeButtonProps: { 'aria-label': i18next.t('common.close') } });
}

export function notifyError(t: TFunction, err: unknown): void {
  notify({ color: 'red', title: t('errors.title'), message: errorText(t, err) });
}

export function notifyDone(message: string): void {
  notify({ color: 'green', message });
}
