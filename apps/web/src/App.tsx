import { createBrowserRouter, RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { RequireSignIn } from './components/RequireSignIn';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { InvitationPage } from './pages/InvitationPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProfilePage } from './pages/ProfilePage';
import { ProjectHomePage } from './pages/project/ProjectHomePage';
import { ProjectsPage } from './pages/ProjectsPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { SignInPage } from './pages/SignInPage';
import { SignUpPage } from './pages/SignUpPage';

/**
 * Every screen of Quire. Screens anyone may open sit directly under the layout; screens for
 * signed-in people under RequireSignIn. Later issues add their routes (and a NAVIGATION entry).
 */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password/:token', element: <ResetPasswordPage /> },
      { path: 'invitation/:token', element: <InvitationPage /> },
      { path: 'sign-up/:projectSlug', element: <SignUpPage /> },
      {
        element: <RequireSignIn />,
        children: [
          { index: true, element: <ProjectsPage /> },
          { path: 'p/:slug', element: <ProjectHomePage /> },
          { path: 'profile', element: <ProfilePage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
