import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { DataSummary, DataSummaryItem } from '@rijkshuisstijl-community/components-react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { colourOf } from '../../components/editor/colours';
import { CollaborativeEditor } from '../../components/editor/CollaborativeEditor';
import { useCollabSession } from '../../components/editor/useCollabSession';
import { Loading, QueryProblem } from '../../components/feedback';
import { Page } from '../../components/Page';
import { useFormat } from '../../format';
import { Me, Project } from '../../graphql/operations';
import { Portrait, PORTRAIT, PORTRAIT_CHANGED, PORTRAIT_VERSIONS } from '../../graphql/portraits';
import { paths } from '../../paths';
import { useMe } from '../../session/session';
import { isModerator, projectCrumb, useProject } from '../project/ProjectLayout';
import { usePortraitLabels } from './portrait-labels';
import { TeamSection, WorkflowSection } from './PortraitWorkflow';
import { VersionHistory } from './VersionHistory';

/** The text, connected live once the api has given a ticket. */
function PortraitEditor({ portrait, project, me, onAccessChanged }: { portrait: Portrait; project: Project; me: Me; onAccessChanged(): void }) {
  const { session, error } = useCollabSession(portrait.id, { id: me.id, name: me.displayName, color: colourOf(me.id) });
  if (error) return <QueryProblem error={error} />;
  if (!session) return <Loading />;
  return <CollaborativeEditor session={session} wordLimits={{ min: project.wordLimitMin, max: project.wordLimitMax }} onAccessChanged={onAccessChanged} />;
}

/** One portrait: where it stands and who writes it, its text written together, its versions and workflow. */
export function PortraitPage() {
  const { t } = useTranslation();
  const project = useProject();
  const format = useFormat();
  const labels = usePortraitLabels();
  const { me } = useMe();
  const { portraitId = '' } = useParams();
  const { data, error, refetch } = useQuery(PORTRAIT, { variables: { id: portraitId } });
  // Someone else took a workflow step or changed the team: the steps and status shown follow.
  const portraitChanged = useCallback(() => void refetch(), [refetch]);
  // Pushed after every change by anyone: status and allowed steps land in the cache, the versions are fetched again.
  const client = useApolloClient();
  useSubscription(PORTRAIT_CHANGED, {
    variables: { portraitId },
    onData: () => void client.refetchQueries({ include: [PORTRAIT_VERSIONS] }),
  });
  const trail = [projectCrumb(project), { to: paths.portraits(project.slug), label: t('portraits.title') }];

  if (error) {
    return (
      <Page title={t('portraits.title')} trail={trail}>
        <QueryProblem error={error} />
      </Page>
    );
  }
  const portrait = data?.portrait;
  if (!portrait || !me) return <Loading />;
  return (
    <Page title={t('portraits.pageTitle', { name: portrait.candidateName })} trail={trail}>
      <DataSummary>
        <DataSummaryItem itemKey={t('portraits.status')} itemValue={t('portraits.statusSince', { status: labels.status(portrait), date: format.date(portrait.statusChangedAt) })} />
        <DataSummaryItem itemKey={t('portraits.leadAuthor')} itemValue={labels.person(portrait.leadAuthor)} />
        <DataSummaryItem itemKey={t('portraits.coAuthors')} itemValue={labels.people(portrait.coAuthors)} />
        <DataSummaryItem itemKey={t('portraits.editor')} itemValue={labels.person(portrait.editor)} />
      </DataSummary>
      <PortraitEditor key={portrait.id} portrait={portrait} project={project} me={me} onAccessChanged={portraitChanged} />
      <WorkflowSection project={project} portrait={portrait} />
      <VersionHistory portrait={portrait} canSave={portrait.myAccess === 'READ_WRITE' || isModerator(project)} />
      <TeamSection project={project} portrait={portrait} />
    </Page>
  );
}
