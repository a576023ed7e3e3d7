import { useMutation, useQuery } from '@apollo/client/react';
import { Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { typedYear } from '../../choices';
import { AboutWhom } from '../../components/AboutWhom';
import { ActionButton } from '../../components/actions';
import { noticeState } from '../../components/notice';
import { RouterLink } from '../../components/RouterLink';
import { useDebouncedValue } from '../../components/useDebouncedValue';
import { yearSpan } from '../../format';
import { ENDORSE_CANDIDATE, SIMILAR_CANDIDATES, SimilarCandidate } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { CandidateIdentity } from '../candidates/CandidateFields';

/** How long typing may pause before Quire looks for duplicates. */
const TYPING_PAUSE_MS = 250;
/** The api's duplicate threshold (DUPLICATE_THRESHOLD in libs/domain/nominations names): above it, very likely the same person. */
const LIKELY_SAME_PERSON = 0.75;


function Suggestion({ project, suggestion }: { project: Project; suggestion: SimilarCandidate }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [endorse] = useMutation(ENDORSE_CANDIDATE);
  const { candidate } = suggestion;
  const life = yearSpan(candidate.birthYear, candidate.deathYear);

  async function endorseInstead(): Promise<void> {
    await endorse({ variables: { id: candidate.id } });
    await navigate(paths.candidate(project.slug, candidate.id), noticeState(t('similar.endorsed', { name: candidate.name })));
  }

  return (
    <li className="quire-card">
      <Paragraph>
        <strong>{candidate.name}</strong>
        {life && ` (${life})`}
        {candidate.organisation && ` · ${candidate.organisation}`}
        {' · '}
        {suggestion.score >= LIKELY_SAME_PERSON ? t('similar.likely') : t('similar.possibly')}
      </Paragraph>
      <div className="quire-actions">
        <ActionButton appearance="primary-action-button" onAction={endorseInstead} messages={{ CONFLICT: t('similar.endorsedAlready') }}>
          {t('similar.endorseInstead')}
          <AboutWhom name={candidate.name} />
        </ActionButton>
        <RouterLink to={paths.candidate(project.slug, candidate.id)}>
          {t('similar.view')}
          <AboutWhom name={candidate.name} />
        </RouterLink>
      </div>
    </li>
  );
}

/**
 * While a member types a name (and life years), the candidates that may be the same person, so
 * they endorse one instead of nominating a duplicate. The list sits in a live region: screen
 * readers announce the suggestions as they appear.
 */
export function SimilarCandidates({ project, identity }: { project: Project; identity: CandidateIdentity }) {
  const { t } = useTranslation();
  const name = useDebouncedValue(identity.name.trim(), TYPING_PAUSE_MS);
  const birthYear = useDebouncedValue(typedYear(identity.birthYear), TYPING_PAUSE_MS);
  const deathYear = useDebouncedValue(typedYear(identity.deathYear), TYPING_PAUSE_MS);
  const tooShort = name.length < 2;
  const { data, previousData } = useQuery(SIMILAR_CANDIDATES, { variables: { projectId: project.id, name, birthYear, deathYear }, skip: tooShort });
  // While the next answer is on its way the current suggestions stay, so the region does not flicker.
  const suggestions = tooShort ? [] : (data ?? previousData)?.similarCandidates ?? [];

  return (
    <div aria-live="polite" className="quire-similar">
      {suggestions.length > 0 && (
        <>
          <Paragraph className="quire-similar__question">
            <strong>{t('similar.question')}</strong> {t('similar.explanation')}
          </Paragraph>
          <ul className="quire-cards">
            {suggestions.map((suggestion) => (
              <Suggestion key={suggestion.candidate.id} project={project} suggestion={suggestion} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
