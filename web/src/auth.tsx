// The signed-in user (`GET /api/v1/auth/me`) for the whole workbench, and the permission checks
// the menu and the screens use.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, rememberCsrfToken, setAuthFailureHandler } from './api';
import type { Me } from './types';

export interface AuthContextValue {
  me: Me | null;
  /** True until the first `me` answer arrives. */
  loading: boolean;
  /** A message for the login page (e.g. the session expired). */
  notice: string | null;
  /** True after an explicit logout, until the next sign-in: the login page then starts afresh. */
  signedOut: boolean;
  refresh: () => Promise<Me | null>;
  logout: () => Promise<void>;
  clearNotice: () => void;
  can: (permission: string) => boolean;
  canManage: (...prefixes: string[]) => boolean;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  const refresh = useCallback(async (): Promise<Me | null> => {
    try {
      const answer = await api.get<Me>('/api/v1/auth/me', undefined, { quiet: true });
      setMe(answer);
      setSignedOut(false);
      return answer;
    } catch (error) {
      // 401 simply means "not signed in"; anything else is shown on the login page.
      if (error instanceof ApiError && error.status !== 401) setNotice(error.detail);
      setMe(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setAuthFailureHandler((error) => {
      if (error.code === 'session_stage') {
        // The session went back to an earlier stage (e.g. the password expired): the login page
        // resumes at that step.
        void refresh();
        return;
      }
      setNotice(error.detail);
      setMe(null);
    });
    return () => setAuthFailureHandler(null);
  }, [refresh]);

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/api/v1/auth/logout', undefined, { quiet: true });
    } catch {
      // The session may already be gone; the user is signed out either way.
    }
    rememberCsrfToken(null);
    setNotice(null);
    setSignedOut(true);
    setMe(null);
  }, []);

  const value = useMemo<AuthContextValue>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return {
      me,
      loading,
      notice,
      signedOut,
      refresh,
      logout,
      clearNotice: () => setNotice(null),
      can: (permission) => permissions.has(permission),
      canManage: (...prefixes) => canManage(me?.permissions ?? [], prefixes),
    };
  }, [me, loading, notice, signedOut, refresh, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/**
 * Write actions are shown when the user holds any permission of the resource other than its
 * `.read` one (e.g. `org.organisation.write`); the server still decides and answers 403 otherwise.
 */
export function canManage(permissions: string[], prefixes: string[]): boolean {
  return permissions.some(
    (code) => prefixes.some((prefix) => code.startsWith(prefix)) && !code.endsWith('.read'),
  );
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside AuthProvider');
  return value;
}

/** The signed-in user on screens that are only reachable when signed in. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe used without a signed-in user');
  return me;
}
