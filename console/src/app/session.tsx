// Who is signed in. The session itself is the server's HttpOnly cookie; this keeps GET /api/me's
// answer, shows the sign-in page on any 401 (expired, ended, signed out elsewhere) and says why.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthorized } from '../api/client';
import type { LoginResult, Me } from '../api/types';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out'; /** Why the last session ended (an expired one says so on the sign-in page). */ reason?: ApiError }
  | { status: 'signed_in'; me: Me };

export interface Session {
  state: SessionState;
  signIn(email: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  /** Reads /me again (after a password change). */
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const me = await api.get<Me>('/me', undefined, { quiet401: true });
      setState({ status: 'signed_in', me });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState({ status: 'signed_out' });
      else throw err;
    }
  }, []);

  useEffect(() => {
    refresh().catch((err: unknown) => setState({ status: 'signed_out', reason: err instanceof ApiError ? err : undefined }));
    return onUnauthorized((error) => setState({ status: 'signed_out', reason: error }));
  }, [refresh]);

  const signIn = useCallback(async (email: string, password: string) => {
    const result = await api.post<LoginResult>('/auth/login', { email, password }, { quiet401: true });
    setState({ status: 'signed_in', me: result.user });
    return result.user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout', undefined, { quiet401: true });
    } catch (err) {
      // Already ended on the server: signed out all the same.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    setState({ status: 'signed_out' });
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in staff member; only for pages rendered inside the signed-in shell. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useMe while signed out');
  return state.me;
}
