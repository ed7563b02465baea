// What the press, administration and report pages share: loading a resource with its error and a
// reload, running an action with a busy flag and a notification, and showing dates the staff
// member's way. Kept small: each page still says what it loads and does.
import { Center, Loader } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Query } from '../api/client';
import { notifyDone, notifyError } from './errors';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

/** GETs `path` (relative to /api) now and whenever the path or query change; null waits. */
export function useApiData<T>(path: string | null, query?: Query): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;
  // The latest request wins: an answer to an older one (a filter changed meanwhile) is dropped.
  const latest = useRef(0);
  const load = useCallback(async () => {
    if (path === null) return;
    const mine = ++latest.current;
    setLoading(true);
    try {
      const result = await api.get<T>(path, query);
      if (mine === latest.current) {
        setData(result);
        setError(null);
      }
    } catch (err) {
      if (mine === latest.current) setError(err);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, [key]); // `key` stands for path and query

  useEffect(() => {
    void load();
  }, [load]);
  return { data, error, loading, reload: load };
}

/** Runs `fn` once at a time; on success shows `done` (when given), on failure the error. */
export function useAction() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback(
    async <R,>(name: string, fn: () => Promise<R>, done?: string): Promise<R | undefined> => {
      setBusy(name);
      try {
        const result = await fn();
        if (done) notifyDone(done);
        return result;
      } catch (err) {
        notifyError(t, err);
        return undefined;
      } finally {
        setBusy(null);
      }
    },
    [t],
  );
  return { busy, run };
}

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

/** A date and time in the console's language (Vietnamese: 24-hour, day first). */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(language === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'short', timeStyle: 'short' });
}

export function formatDate(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(language === 'en' ? 'en-GB' : 'vi-VN');
}

/** An ISO time as the value of <input type="datetime-local"> (the browser's time zone). */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input as an ISO time; undefined when empty or not a time. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
