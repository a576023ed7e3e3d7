import { useMutation, useQuery } from '@apollo/client/react';
import {
  Blockquote, Heading, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, UnorderedList, UnorderedListItem,
} from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AboutWhom } from '../../components/AboutWhom';
import { ActionButton } from '../../components/actions';
import { ConfirmButton } from '../../components/dialogs';
import { Loading, QueryProblem } from '../../components/feedback';
import { TextAreaField } from '../../components/fields';
import { formText, StatusRegion } from '../../components/form';
import { usePageNotice } from '../../components/notice';
import { Page } from '../../components/Page';
import { RouterLink } from '../../components/RouterLink';
import { TableRegion } from '../../components/TableRegion';
import { Translated } from '../../components/Translated';
import { useFormat } from '../../format';
import {
  BLOCK_MEMBER, BLOCKED_MEMBERS, MODERATE, MODERATION_QUEUE, ModerationItem, NOMINATIONS, PUBLISH_NOMINATION, ROUNDS, RoundSummary, UNBLOCK_MEMBER,
} from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { isModerator, projectCrumb, useProject } from '../project/ProjectLayout';

type Announce = (notice: ReactNode) => void;

function QueueItem({ project, item, announce }: { project: Project; item: ModerationItem; announce: Announce }) {
  const { t } = useTranslation();
  const headingId = useId();
  const refetch = { refetchQueries: [MODERATION_QUEUE, BLOCKED_MEMBERS], awaitRefetchQueries: true };
  const [moderate] = useMutation(MODERATE, refetch);
  const [block] = useMutation(BLOCK_MEMBER, refetch);
  const target = { targetType: item.targetType, targetId: item.targetId };
  const kind = t(`moderation.kinds.${item.targetType}`);
  const hidden = item.status === 'HIDDEN';

  return (
    <li className="quire-card">
      <article aria-labelledby={headingId} className="quire-stack">
        <Heading level={3} id={headingId}>
          {t('moderation.itemTitle', { kind, name: item.author.displayName })}
        </Heading>
        <Paragraph>
          {t('moderation.about')} <RouterLink to={paths.candidate(project.slug, item.candidate.id)}>{item.candidate.name}</RouterLink> ·{' '}
          {t(hidden ? 'moderation.statusHidden' : 'moderation.statusShown')} · {t('moderation.reports', { count: item.openReports })}
        </Paragraph>
        <Blockquote className="quire-prose">{item.text}</Blockquote>
        {item.reasons.length > 0 && (
          <>
            <Heading level={4}>{t('moderation.reasons')}</Heading>
            <UnorderedList>
              {item.reasons.map((reason, i) => (
                <UnorderedListItem key={i}>{reason}</UnorderedListItem>
              ))}
            </UnorderedList>
          </>
        )}
        <div className="quire-actions">
          {!hidden && (
            <ActionButton
              appearance="primary-action-button"
              onAction={async () => {
                await moderate({ variables: { ...target, decision: 'HIDE' } });
                announce(<Translated>{(tr) => tr('moderation.hidden', { kind: tr(`moderation.kinds.${item.targetType}`) })}</Translated>);
              }}
            >
              {t('moderation.hide')}
            </ActionButton>
          )}
          <ActionButton
            onAction={async () => {
              await moderate({ variables: { ...target, decision: 'KEEP' } });
              announce(<Translated>{(tr) => tr('moderation.kept', { kind: tr(`moderation.kinds.${item.targetType}`) })}</Translated>);
            }}
          >
            {t(hidden ? 'moderation.show' : 'moderation.keep')}
          </ActionButton>
          <ConfirmButton
            label={t('moderation.block', { name: item.author.displayName })}
            title={t('moderation.blockTitle', { name: item.author.displayName })}
            confirmLabel={t('moderation.blockConfirm')}
            messages={{ CONFLICT: t('moderation.blockedAlready'), FORBIDDEN: t('moderation.blockForbidden') }}
            onConfirm={async (data) => {
              await block({ variables: { projectId: project.id, userId: item.author.id, reason: formText(data, 'reason') } });
              announce(<Translated>{(tr) => tr('moderation.blocked', { name: item.author.displayName })}</Translated>);
            }}
          >
            <Paragraph>{t('moderation.blockExplanation')}</Paragraph>
            <TextAreaField name="reason" label={t('moderation.blockReason')} rows={3} required />
          </ConfirmButton>
        </div>
      </article>
    </li>
  );
}

function QueueSection({ project, announce }: { project: Project; announce: Announce }) {
  const { t } = useTranslation();
  const headingId = useId();
  const { data, error } = useQuery(MODERATION_QUEUE, { variables: { projectId: project.id }, fetchPolicy: 'cache-and-network' });
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('moderation.queue')}
      </Heading>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : data.moderationQueue.length === 0 ? (
        <Paragraph>{t('moderation.queueEmpty')}</Paragraph>
      ) : (
        <ul className="quire-cards">
          {data.moderationQueue.map((item) => (
            <QueueItem key={`${item.targetType}:${item.targetId}`} project={project} item={item} announce={announce} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Nominations a round holds for pre-moderation until a moderator publishes them. */
function AwaitingInRound({ project, round, announce }: { project: Project; round: RoundSummary; announce: Announce }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { data } = useQuery(NOMINATIONS, { variables: { roundId: round.id, status: 'SUBMITTED', first: 50 }, fetchPolicy: 'cache-and-network' });
  const [publish] = useMutation(PUBLISH_NOMINATION, { refetchQueries: [NOMINATIONS], awaitRefetchQueries: true });
  const nominations = data?.nominations.nodes ?? [];
  if (!nominations.length) return null;
  return (
    <>
      <Heading level={3}>{round.title}</Heading>
      <ul className="quire-cards">
        {nominations.map((nomination) => (
          <li key={nomination.id} className="quire-card">
            <Paragraph>
              <RouterLink to={paths.candidate(project.slug, nomination.candidate.id)}>{nomination.candidate.name}</RouterLink> ·{' '}
              {t('nomination.by', { name: nomination.nominator.displayName })} · {format.dateTime(nomination.createdAt)}
            </Paragraph>
            <Blockquote className="quire-prose">{nomination.motivation}</Blockquote>
            <ActionButton
              onAction={async () => {
                await publish({ variables: { id: nomination.id } });
                announce(<Translated>{(tr) => tr('moderation.published', { name: nomination.candidate.name })}</Translated>);
              }}
            >
              {t('moderation.publish')}
              <AboutWhom name={nomination.candidate.name} />
            </ActionButton>
          </li>
        ))}
      </ul>
    </>
  );
}

function AwaitingSection({ project, announce }: { project: Project; announce: Announce }) {
  const { t } = useTranslation();
  const headingId = useId();
  const { data } = useQuery(ROUNDS, { variables: { projectId: project.id } });
  const open = data?.rounds.filter((r) => r.phase !== 'CLOSED') ?? [];
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('moderation.awaiting')}
      </Heading>
      <Paragraph>{t('moderation.awaitingIntro')}</Paragraph>
      {open.map((round) => (
        <AwaitingInRound key={round.id} project={project} round={round} announce={announce} />
      ))}
    </section>
  );
}

function BlockedSection({ project, announce }: { project: Project; announce: Announce }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const { data, error } = useQuery(BLOCKED_MEMBERS, { variables: { projectId: project.id }, fetchPolicy: 'cache-and-network' });
  const [unblock] = useMutation(UNBLOCK_MEMBER, { refetchQueries: [BLOCKED_MEMBERS], awaitRefetchQueries: true });
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('moderation.blockedTitle')}
      </Heading>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : data.blockedMembers.length === 0 ? (
        <Paragraph>{t('moderation.blockedEmpty')}</Paragraph>
      ) : (
        <TableRegion caption={t('moderation.blockedCaption')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell scope="col">{t('people.name')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('moderation.blockReason')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('moderation.blockedSince')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('moderation.action')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.blockedMembers.map((blocked) => (
              <TableRow key={blocked.userId}>
                <TableHeaderCell scope="row">{blocked.member.displayName}</TableHeaderCell>
                <TableCell>{blocked.reason}</TableCell>
                <TableCell>{format.dateTime(blocked.createdAt)}</TableCell>
                <TableCell>
                  <ActionButton
                    onAction={async () => {
                      await unblock({ variables: { projectId: project.id, userId: blocked.userId } });
                      announce(<Translated>{(tr) => tr('moderation.unblocked', { name: blocked.member.displayName })}</Translated>);
                    }}
                  >
                    {t('moderation.unblock')}
                    <AboutWhom name={blocked.member.displayName} />
                  </ActionButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </TableRegion>
      )}
    </section>
  );
}

/** Editors and admins: reported nominations and comments, held nominations, and blocked members. */
export function ModerationPage() {
  const { t } = useTranslation();
  const project = useProject();
  const [notice, announce] = usePageNotice();
  if (!isModerator(project)) {
    return (
      <Page title={t('moderation.title')} trail={[projectCrumb(project)]}>
        <Paragraph>{t('moderation.onlyModerators')}</Paragraph>
      </Page>
    );
  }
  return (
    <Page title={t('moderation.title')} trail={[projectCrumb(project)]}>
      <StatusRegion message={notice} />
      <QueueSection project={project} announce={announce} />
      <AwaitingSection project={project} announce={announce} />
      <BlockedSection project={project} announce={announce} />
    </Page>
  );
}
