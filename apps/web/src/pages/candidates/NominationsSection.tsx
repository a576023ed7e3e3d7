import { useMutation } from '@apollo/client/react';
import { Heading, Link, Paragraph, UnorderedList, UnorderedListItem } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/dialogs';
import { Translated } from '../../components/Translated';
import { useFormat } from '../../format';
import { CANDIDATE, CandidateProfile, Nomination, NominationSource, ROUND, WITHDRAW_NOMINATION } from '../../graphql/nominations';
import { useMe } from '../../session/session';
import { ReportDisclosure } from './ReportDisclosure';

/** Only web addresses become links: a source is what a member typed. */
function isWebAddress(url: string | null): url is string {
  return !!url && /^https?:\/\//i.test(url);
}

/** A source: a link that opens apart from Quire (and cannot reach back into it), or a reference. */
function Source({ source }: { source: NominationSource }) {
  const { t } = useTranslation();
  return (
    <UnorderedListItem>
      {t(`sourceKinds.${source.kind}`)}:{' '}
      {isWebAddress(source.url) ? (
        <Link href={source.url} target="_blank" rel="noopener noreferrer" className="quire-break">
          {source.reference || source.url}
          <span className="quire-visually-hidden"> ({t('app.opensInNewWindow')})</span>
        </Link>
      ) : (
        source.reference
      )}
    </UnorderedListItem>
  );
}

function NominationCard({ nomination, announce }: { nomination: Nomination; announce(notice: ReactNode): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
  const headingId = useId();
  const [withdraw] = useMutation(WITHDRAW_NOMINATION);
  const mine = me?.id === nomination.nominator.id;
  const withdrawable = mine && (nomination.status === 'SUBMITTED' || nomination.status === 'PUBLISHED');

  return (
    <li className="quire-card">
      <article aria-labelledby={headingId} className="quire-stack">
        <Heading level={3} id={headingId}>
          {t('nomination.by', { name: nomination.nominator.displayName })}
        </Heading>
        <Paragraph className="quire-muted">
          {format.dateTime(nomination.createdAt)}
          {nomination.status !== 'PUBLISHED' && ` · ${t(`nominationStatuses.${nomination.status}`)}`}
        </Paragraph>
        <Paragraph className="quire-prose">{nomination.motivation}</Paragraph>
        {nomination.sources.length > 0 && (
          <>
            <Heading level={4}>{t('sources.title')}</Heading>
            <UnorderedList>
              {nomination.sources.map((source, i) => (
                <Source key={i} source={source} />
              ))}
            </UnorderedList>
          </>
        )}
        <div className="quire-actions">
          {withdrawable && (
            <ConfirmButton
              label={t('nomination.withdraw')}
              title={t('nomination.withdrawTitle')}
              confirmLabel={t('nomination.withdrawConfirm')}
              onConfirm={async () => {
                // My count of nominations in the round changes too.
                await withdraw({ variables: { id: nomination.id }, refetchQueries: [CANDIDATE, ROUND], awaitRefetchQueries: true });
                announce(<Translated>{(tr) => tr('nomination.withdrawn')}</Translated>);
              }}
            >
              <Paragraph>{t('nomination.withdrawExplanation')}</Paragraph>
            </ConfirmButton>
          )}
          {!mine && <ReportDisclosure targetType="NOMINATION" targetId={nomination.id} onReported={() => announce(<Translated>{(tr) => tr('report.thanks')}</Translated>)} />}
        </div>
      </article>
    </li>
  );
}

/** Why members want this person in the book: every nomination with its sources. */
export function NominationsSection({ candidate, announce }: { candidate: CandidateProfile; announce(notice: ReactNode): void }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('candidate.nominationsTitle', { count: candidate.nominations.length })}
      </Heading>
      {candidate.nominations.length === 0 ? (
        <Paragraph>{t('candidate.noNominations')}</Paragraph>
      ) : (
        <ul className="quire-cards">
          {candidate.nominations.map((nomination) => (
            <NominationCard key={nomination.id} nomination={nomination} announce={announce} />
          ))}
        </ul>
      )}
    </section>
  );
}
