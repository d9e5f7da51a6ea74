/** The signed-in user, read once from `GET /auth/session` and shared through React context. */
import type { Project, User } from '@prefer/sdk';
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { ErrorState, PageSkeleton } from '../ui/states.tsx';
import { client } from './client.ts';

export interface Me {
  user: User;
}

const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in screen');
  return me;
}

export function useMaybeMe(): Me | null {
  return useContext(MeContext);
}

export const SESSION_KEY = ['session'] as const;

async function loadMe(): Promise<Me | null> {
  // Both at once (one round trip): without a session `/me` answers 401, which is then moot.
  const me = client.getUser().then(
    (user) => ({ user }),
    (error: unknown) => ({ error }),
  );
  const session = await client.session();
  if (!session) return null;
  const answer = await me;
  if ('error' in answer) throw answer.error;
  return { user: answer.user };
}

let early: Promise<Me | null> | undefined;

/**
 * The session check, started as the app's code runs (before the first render) so that requests
 * waiting for it (the editor's first row needs its CSRF token) go out as soon as it answers. The
 * gate's first check takes this answer; later checks ask again.
 */
export function checkSessionEarly(): Promise<Me | null> {
  early ??= loadMe();
  return early;
}

/**
 * After the session changed outside the gate (an invite link used on its public page): forget
 * every answer, the early check's too, which was taken before the change and is no longer true.
 */
export function restartSession(qc: QueryClient): void {
  early = undefined;
  qc.clear();
}

/**
 * Renders `signedOut` without a session, else `children` with the user in context. The first
 * check also waits for `alongside` (the opening screen's code; a failure there is left to the
 * screen), so the screen renders at once behind the same skeleton.
 */
export function SessionGate(props: {
  children: ReactNode;
  signedOut: ReactNode;
  alongside?: Promise<unknown>;
}) {
  const { alongside } = props;
  const q = useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      const first = early;
      early = undefined;
      return (await Promise.all([first ?? loadMe(), alongside?.catch(() => undefined)]))[0];
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (q.isPending) return <PageSkeleton />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} />;
  if (!q.data) return <>{props.signedOut}</>;
  return <MeContext.Provider value={q.data}>{props.children}</MeContext.Provider>;
}

export function useSignOut(): () => Promise<void> {
  const qc = useQueryClient();
  return async () => {
    await client.logout().catch(() => undefined);
    qc.clear();
    qc.setQueryData(SESSION_KEY, null);
  };
}

/**
 * What the UI offers in a project, from the caller's role there as the API answers it
 * (`Project.role`, `admin` for the organization's admins). Only a hint for which buttons to
 * show: the server checks every call against the same roles.
 */
export function canDo(project: Pick<Project, 'role'>, what: 'label' | 'review'): boolean {
  const { role } = project;
  if (role === 'admin' || role === 'manager') return true;
  return what === 'label' ? role === 'labeler' : role === 'reviewer';
}

/**
 * Whether the console's entries show: organization admins and managers of any project. Only a
 * hint for the navigation: the server refuses the console's calls to everyone else.
 */
export function managesAnything(me: Me): boolean {
  return me.user.role === 'admin' || (me.user.projects ?? []).some((p) => p.role === 'manager');
}
