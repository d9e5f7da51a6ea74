/** Routes: sign-in when signed out; else home, the editor, review, rework and the account. */
import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import { SessionGate } from './api/session.tsx';
import { AccountScreen } from './screens/account.tsx';
import { HomeScreen } from './screens/home.tsx';
import { NotFoundScreen } from './screens/not-found.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { PageSkeleton } from './ui/states.tsx';

// The editor carries the markdown, math and highlighting code: loaded when a queue opens.
const loadLabel = () => import('./editor/label-screen.tsx');
const loadReview = () => import('./review/review-screen.tsx');
const loadRework = () => import('./review/rework-screen.tsx');
const LabelScreen = lazy(loadLabel);
const ReviewScreen = lazy(loadReview);
const ReworkScreen = lazy(loadRework);

// Opening the app on an editor address: its code loads while the session is being checked.
const path = window.location.pathname;
if (path.endsWith('/label')) void loadLabel();
else if (path.endsWith('/review')) void loadReview();
else if (path.includes('/rework')) void loadRework();

function Shell() {
  return (
    <SessionGate signedOut={<SignInScreen />}>
      <Suspense fallback={<PageSkeleton />}>
        <Outlet />
      </Suspense>
    </SessionGate>
  );
}

const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      { path: '/', element: <HomeScreen /> },
      { path: '/account', element: <AccountScreen /> },
      { path: '/projects/:projectId/label', element: <LabelScreen /> },
      { path: '/projects/:projectId/review', element: <ReviewScreen /> },
      { path: '/projects/:projectId/rework', element: <ReworkScreen /> },
      { path: '/projects/:projectId/rework/:labelId', element: <ReworkScreen /> },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
