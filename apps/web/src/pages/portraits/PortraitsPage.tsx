import { useQuery } from '@apollo/client/react';
import { Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../../components/feedback';
import { Page } from '../../components/Page';
import { RouterLink } from '../../components/RouterLink';
import { TableRegion } from '../../components/TableRegion';
import { PORTRAITS } from '../../graphql/portraits';
import { paths } from '../../paths';
import { projectCrumb, useProject } from '../project/ProjectLayout';
import { usePortraitLabels } from './portrait-labels';

/** Every portrait of the book: where it stands, who writes it, and its length against the limits. */
export function PortraitsPage() {
  const { t } = useTranslation();
  const project = useProject();
  const labels = usePortraitLabels();
  // Word counts and states change while people write; show the cache, then what is current.
  const { data, error } = useQuery(PORTRAITS, { variables: { projectId: project.id }, fetchPolicy: 'cache-and-network' });

  return (
    <Page title={t('portraits.title')} trail={[projectCrumb(project)]}>
      <Paragraph>{t('portraits.intro')}</Paragraph>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : data.portraits.length === 0 ? (
        <Paragraph>{t('portraits.empty')}</Paragraph>
      ) : (
        <TableRegion caption={t('portraits.listCaption')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell scope="col">{t('portraits.name')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('portraits.status')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('portraits.leadAuthor')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('portraits.coAuthors')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('portraits.editor')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('portraits.words')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.portraits.map((portrait) => (
              <TableRow key={portrait.id}>
                <TableHeaderCell scope="row">
                  <RouterLink to={paths.portrait(project.slug, portrait.id)}>{portrait.candidateName}</RouterLink>
                </TableHeaderCell>
                <TableCell>{labels.status(portrait)}</TableCell>
                <TableCell>{labels.person(portrait.leadAuthor)}</TableCell>
                <TableCell>{labels.people(portrait.coAuthors)}</TableCell>
                <TableCell>{labels.person(portrait.editor)}</TableCell>
                <TableCell>{labels.words(portrait, project)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </TableRegion>
      )}
    </Page>
  );
}
