import { Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '../session/session';
import { Loading, QueryProblem } from './feedback';

/** The path of the sign-in screen that returns to `path` afterwards. */
export function signInPath(path: string): string {
  return path === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(path)}`;
}

/** Only where a sign-in returns to: a path on this site, never another site. */
export function safeReturnPath(next: string | null): string {
  // A leading // or /\ would make the browser leave for another host.
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

/** Screens below this route are for signed-in people; others go to sign in first. */
export function RequireSignIn() {
  const { me, loading, error } = useMe();
  const { pathname, search } = useLocation();
  if (loading) return <Loading />;
  if (error) return <QueryProblem error={error} />;
  if (!me) return <Navigate to={signInPath(pathname + search)} replace />;
  return <Outlet />;
}
