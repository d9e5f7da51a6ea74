/** The bar on top of every signed-in screen: brand, what this screen is, the user's menu. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { managesAnything, useMe, useSignOut } from '../api/session.tsx';

export function TopBar(props: { title?: ReactNode; children?: ReactNode }) {
  const me = useMe();
  const signOut = useSignOut();
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        prefer
      </Link>
      {props.title && <span className="title">{props.title}</span>}
      <span className="spacer" />
      {props.children}
      {managesAnything(me) && (
        <Link to="/console" className="nav-link">
          Console
        </Link>
      )}
      <Link to="/account" className="meta" title="Account">
        {me.user.name || me.user.email}
      </Link>
      <button type="button" className="btn" onClick={() => void signOut()}>
        Sign out
      </button>
    </header>
  );
}
