import { useMutation, useQuery } from '@apollo/client/react';
import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Loading, QueryProblem } from '../components/feedback';
import { TextField } from '../components/fields';
import { Form, formText, SubmitButton, useFormAction } from '../components/form';
import { Page } from '../components/Page';
import { RouterLink } from '../components/RouterLink';
import { useFormat } from '../format';
import { CREATE_PROJECT, PROJECTS } from '../graphql/operations';
import { paths } from '../paths';
import { useMe } from '../session/session';

/** An installation admin starts a book project, and lands on it as its first admin. */
function NewProjectForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const headingId = useId();
  const [createProject] = useMutation(CREATE_PROJECT, { refetchQueries: [PROJECTS] });
  const action = useFormAction(async (data) => {
    const project = (await createProject({ variables: { input: { title: formText(data, 'title').trim(), slug: formText(data, 'slug').trim() } } })).data?.createProject;
    if (project) await navigate(paths.project(project.slug));
    return project;
  });
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('projects.new')}
      </Heading>
      <Paragraph>{t('projects.newIntro')}</Paragraph>
      <Form action={action} messages={{ CONFLICT: t('projects.slugTaken') }}>
        <TextField name="title" label={t('settings.bookTitle')} required maxLength={200} />
        <TextField name="slug" label={t('projects.slug')} description={t('projects.slugHint')} required maxLength={60} autoComplete="off" />
        <SubmitButton>{t('projects.create')}</SubmitButton>
      </Form>
    </section>
  );
}

/** The book projects the person takes part in; installation admins start new ones here. */
export function ProjectsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
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
      {me?.installationAdmin && <NewProjectForm />}
    </Page>
  );
}
