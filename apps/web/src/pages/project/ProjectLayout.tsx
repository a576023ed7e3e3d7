import { useQuery, useSubscription } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Outlet, useOutletContext, useParams } from 'react-router';
import { Loading, QueryProblem } from '../../components/feedback';
import { Crumb, Page } from '../../components/Page';
import { Project, PROJECT, PROJECT_UPDATED, ProjectRole } from '../../graphql/operations';
import { paths } from '../../paths';

interface ProjectOutletContext {
  project: Project;
}

/** The project of the screen, for every screen under /p/:slug. */
export function useProject(): Project {
  return useOutletContext<ProjectOutletContext>().project;
}

const MODERATOR_ROLES: readonly ProjectRole[] = ['EDITOR', 'ADMIN'];

/** Editors and admins run rounds, moderate and merge (the api checks the same roles). */
export function isModerator(project: Pick<Project, 'myRoles'>): boolean {
  return project.myRoles.some((role) => MODERATOR_ROLES.includes(role));
}

/** The first step of a project screen's breadcrumb trail. */
export function projectCrumb(project: Project): Crumb {
  return { to: paths.project(project.slug), label: project.title };
}

/** Loads the project named in the address once for all its screens, and keeps it current. */
export function ProjectLayout() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const { data, error } = useQuery(PROJECT, { variables: { slug } });
  const project = data?.project;
  // Updates land in the cache under the project's id, so every screen re-renders with them.
  useSubscription(PROJECT_UPDATED, { variables: { projectId: project?.id ?? '' }, skip: !project });

  if (error) {
    return (
      <Page title={t('project.unavailable')}>
        <QueryProblem error={error} />
      </Page>
    );
  }
  if (!project) return <Loading />;
  return <Outlet context={{ project } satisfies ProjectOutletContext} />;
}
