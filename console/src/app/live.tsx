// Live updates: one EventSource on GET /api/live (Server-Sent Events, cookie-authenticated, scoped
// by the server to what this staff member may see) for the whole signed-in console. Pages
// subscribe with useLiveEvents() and refetch what an event touches. EventSource reconnects by
// itself after a dropped connection; when the server has no /api/live (404) it closes for good and
// the console simply does not update live.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from '../components/errors';

export const LIVE_EVENTS = ['ticket_created', 'ticket_changed', 'message_added', 'notification'] as const;
export type LiveEventName = (typeof LIVE_EVENTS)[number];

export interface LiveEvent {
  type: LiveEventName;
  ticketCode?: string;
  agencyId?: string | null;
  at?: string;
  /** notification only */
  kind?: 'new_ticket' | 'overdue' | 'reopened' | string;
  title?: string;
}

export type LiveStatus = 'connecting' | 'live' | 'off';
type Listener = (event: LiveEvent) => void;

interface Live {
  status: LiveStatus;
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<Live>({ status: 'off', subscribe: () => () => undefined });

export function LiveProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const listeners = useRef(new Set<Listener>());
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setStatus('off');
      return;
    }
    const source = new EventSource('/api/live', { withCredentials: true });
    source.onopen = () => setStatus('live');
    // readyState CONNECTING: it is reconnecting by itself; CLOSED: refused (404, 401) and given up.
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'off' : 'connecting');
    for (const type of LIVE_EVENTS) {
      source.addEventListener(type, (e) => {
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
        } catch {
          return; // not ours to show
        }
        const event = { ...data, type } as LiveEvent;
        if (type === 'notification') {
          notify({
            color: event.kind === 'overdue' ? 'red' : 'teal',
            title: tRef.current(`live.${event.kind ?? 'other'}`, { defaultValue: tRef.current('live.other') }),
            message: [event.ticketCode, event.title].filter(Boolean).join(' · '),
          });
        }
        for (const l of listeners.current) l(event);
      });
    }
    return () => source.close();
  }, []);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const value = useMemo(() => ({ status, subscribe }), [status, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export const useLiveStatus = () => useContext(LiveContext).status;

/** Calls `onEvent` for every live event while the component is shown. */
export function useLiveEvents(onEvent: Listener): void {
  const { subscribe } = useContext(LiveContext);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => subscribe((e) => handler.current(e)), [subscribe]);
}
