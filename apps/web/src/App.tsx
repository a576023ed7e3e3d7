import { createBrowserRouter, RouteObject } from 'react-router';
import { Layout } from './components/Layout';
import { RequireSignIn } from './components/RequireSignIn';
import { CandidatePage } from './pages/candidates/CandidatePage';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { InvitationPage } from './pages/InvitationPage';
import { ModerationPage } from './pages/moderation/ModerationPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { PortraitsPage } from './pages/portraits/PortraitsPage';
import { ProfilePage } from './pages/ProfilePage';
import { ProjectHomePage } from './pages/project/ProjectHomePage';
import { ProjectLayout } from './pages/project/ProjectLayout';
import { ProjectsPage } from './pages/ProjectsPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { NominatePage } from './pages/rounds/NominatePage';
import { RoundPage } from './pages/rounds/RoundPage';
import { RoundSettingsPage } from './pages/rounds/RoundSettingsPage';
import { SelectionPage } from './pages/selection/SelectionPage';
import { SignInPage } from './pages/SignInPage';
import { SignUpPage } from './pages/SignUpPage';
import { LeaderboardPage } from './pages/voting/LeaderboardPage';
import { ResultsPage } from './pages/voting/ResultsPage';

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
          {
            path: 'p/:slug',
            element: <ProjectLayout />,
            children: [
              { index: true, element: <ProjectHomePage /> },
              { path: 'rounds/new', element: <RoundSettingsPage /> },
              { path: 'rounds/:roundId', element: <RoundPage /> },
              { path: 'rounds/:roundId/nominate', element: <NominatePage /> },
              { path: 'rounds/:roundId/settings', element: <RoundSettingsPage /> },
              { path: 'rounds/:roundId/leaderboard', element: <LeaderboardPage /> },
              { path: 'rounds/:roundId/results', element: <ResultsPage /> },
              { path: 'rounds/:roundId/selection', element: <SelectionPage /> },
              { path: 'candidates/:candidateId', element: <CandidatePage /> },
              { path: 'moderation', element: <ModerationPage /> },
              { path: 'portraits', element: <PortraitsPage /> },
              // The editor (TipTap, ProseMirror, Yjs) loads only when a portrait is opened.
              { path: 'portraits/:portraitId', lazy: async () => ({ Component: (await import('./pages/portraits/PortraitPage')).PortraitPage }) },
            ],
          },
          { path: 'notifications', element: <NotificationsPage /> },
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
