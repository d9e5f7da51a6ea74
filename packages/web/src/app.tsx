/** Routes: an invite link's page; sign-in when signed out; else home, the editor, review, rework, the account and the manager's console. */
import { type ComponentType, lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import { queryClient } from './api/query-client.ts';
import { checkSessionEarly, SessionGate } from './api/session.tsx';
import { openQueue } from './editor/opening.ts';
import { AccountScreen } from './screens/account.tsx';
import { HomeScreen } from './screens/home.tsx';
import { InviteScreen } from './screens/invite.tsx';
import { NotFoundScreen } from './screens/not-found.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { PageSkeleton } from './ui/states.tsx';

// The editor carries the markdown, math and highlighting code: loaded when a queue opens.
// Once a screen's code is in, it renders at once: a lazy screen suspends on its first render
// even when its module is loaded, and React reveals a suspended screen at most every 300 ms.
interface LazyModule {
  preload: () => Promise<unknown>;
  loaded?: ComponentType;
  Lazy: ComponentType;
}
function screen(load: () => Promise<{ default: ComponentType }>): LazyModule {
  let pending: Promise<{ default: ComponentType }> | undefined;
  const preload = () => {
    pending ??= load().then((m) => {
      mod.loaded = m.default;
      return m;
    });
    return pending;
  };
  const mod: LazyModule = { preload, Lazy: lazy(preload) };
  return mod;
}
function LazyScreen({ of }: { of: LazyModule }) {
  const Loaded = of.loaded;
  return Loaded ? <Loaded /> : <of.Lazy />;
}
const label = screen(() => import('./editor/label-screen.tsx'));
const review = screen(() => import('./review/review-screen.tsx'));
const rework = screen(() => import('./review/rework-screen.tsx'));
const training = screen(() => import('./training/training-screen.tsx'));
const consoleApp = screen(() => import('./console/console-app.tsx'));

// Opening the app on an editor address: its code loads while the session is being checked, and
// the session gate holds its skeleton until both are in (no second skeleton, no reveal delay).
const path = window.location.pathname;
const opening = path.endsWith('/label')
  ? label.preload()
  : path.endsWith('/review')
    ? review.preload()
    : path.includes('/rework')
      ? rework.preload()
      : path.startsWith('/console')
        ? consoleApp.preload()
        : undefined;
// The session check and, on a queue's address, the editor's requests start now, beside that code.
const session = checkSessionEarly();
const queueOf = /^\/projects\/([^/]+)\/label\/?$/.exec(path);
if (queueOf) openQueue(queryClient, decodeURIComponent(queueOf[1]!), session);

function Shell() {
  return (
    <SessionGate signedOut={<SignInScreen />} alongside={opening}>
      <Suspense fallback={<PageSkeleton />}>
        <Outlet />
      </Suspense>
    </SessionGate>
  );
}

const router = createBrowserRouter([
  // An invite link works signed out (and replaces a session the browser may hold).
  { path: '/invite/:token', element: <InviteScreen /> },
  {
    element: <Shell />,
    children: [
      { path: '/', element: <HomeScreen /> },
      { path: '/account', element: <AccountScreen /> },
      { path: '/projects/:projectId/label', element: <LazyScreen of={label} /> },
      { path: '/projects/:projectId/review', element: <LazyScreen of={review} /> },
      { path: '/projects/:projectId/rework', element: <LazyScreen of={rework} /> },
      { path: '/projects/:projectId/rework/:labelId', element: <LazyScreen of={rework} /> },
      { path: '/projects/:projectId/training', element: <LazyScreen of={training} /> },
      { path: '/console/*', element: <LazyScreen of={consoleApp} /> },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
