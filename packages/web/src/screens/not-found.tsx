import { Link } from 'react-router';
import { EmptyState } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';

export function NotFoundScreen() {
  return (
    <>
      <TopBar />
      <main className="page">
        <EmptyState title="There is nothing at this address">
          <Link to="/">Back to your projects</Link>
        </EmptyState>
      </main>
    </>
  );
}
