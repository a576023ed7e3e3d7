import { useQuery } from '@apollo/client/react';
import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../components/feedback';
import { Page } from '../components/Page';
import { RouterLink } from '../components/RouterLink';
import { useFormat } from '../format';
import { PROJECTS } from '../graphql/operations';
import { paths } from '../paths';

/** The book projects the person takes part in. */
export function ProjectsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  // Joining a project happens elsewhere (an invitation); show the cache, then what is current.
  const { data, error } = useQuery(PROJECTS, { fetchPolicy: 'cache-and-network' });

  return (
    <Page title={t('projects.title')}>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : data.projects.length === 0 ? (
        <Paragraph>{t('projects.empty')}</Paragraph>
      ) : (
        <ul className="quire-cards">
          {data.projects.map((project) => (
            <li key={project.id} className="quire-card">
              <Heading level={2} appearanceLevel={3}>
                <RouterLink to={paths.project(project.slug)}>{project.title}</RouterLink>
              </Heading>
              {project.description && <Paragraph>{project.description}</Paragraph>}
              <Paragraph>{t('projects.myRoles', { roles: format.roles(project.myRoles) })}</Paragraph>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
