import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { oneOf, typedYear } from '../../choices';
import { SelectField, TextField } from '../../components/fields';
import { RouterLink } from '../../components/RouterLink';
import { useDebouncedValue } from '../../components/useDebouncedValue';
import { yearSpan } from '../../format';
import { CandidateCards } from './CandidateCards';
import {
  CANDIDATE_SORTS, CANDIDATE_STATUSES, CandidateFilter, CandidateListEntry, CandidateSort, GENDERS, GOVERNMENT_LAYERS, Round,
} from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';

/** How long typing may pause before the list follows (a query per key would be wasted). */
const TYPING_PAUSE_MS = 250;

interface Filters {
  text: string;
  periodFrom: string;
  periodTo: string;
  governmentLayer: string;
  gender: string;
  status: string;
}

const NO_FILTERS: Filters = { text: '', periodFrom: '', periodTo: '', governmentLayer: '', gender: '', status: '' };


/** The api's filter for what the person chose; typed text counts once typing pauses. */
function useCandidateFilter(roundId: string, filters: Filters): CandidateFilter {
  const text = useDebouncedValue(filters.text.trim(), TYPING_PAUSE_MS);
  const periodFrom = useDebouncedValue(typedYear(filters.periodFrom), TYPING_PAUSE_MS);
  const periodTo = useDebouncedValue(typedYear(filters.periodTo), TYPING_PAUSE_MS);
  return {
    roundId,
    text: text || null,
    periodFrom,
    periodTo,
    governmentLayer: oneOf(GOVERNMENT_LAYERS, filters.governmentLayer),
    gender: oneOf(GENDERS, filters.gender),
    status: oneOf(CANDIDATE_STATUSES, filters.status),
  };
}

function CandidateCard({ entry, slug }: { entry: CandidateListEntry; slug: string }) {
  const { t } = useTranslation();
  const { candidate } = entry;
  const life = yearSpan(candidate.birthYear, candidate.deathYear);
  const period = yearSpan(candidate.periodStart, candidate.periodEnd);
  const facts = [t(`layers.${candidate.governmentLayer}`), period && t('candidate.periodValue', { period }), candidate.organisation].filter(Boolean);
  return (
    <li className="quire-card">
      <Heading level={3}>
        <RouterLink to={paths.candidate(slug, candidate.id)}>{candidate.name}</RouterLink>
        {life && <span className="quire-muted"> ({life})</span>}
      </Heading>
      <Paragraph>{facts.join(' · ')}</Paragraph>
      <Paragraph>
        {t('candidate.endorsements', { count: entry.endorsementCount })} · {t('candidate.nominations', { count: entry.nominationCount })}
        {candidate.status !== 'NOMINATED' && ` · ${t(`candidateStatuses.${candidate.status}`)}`}
      </Paragraph>
    </li>
  );
}

/** The round's candidates, filtered and sorted as the person chooses, page by page. */
export function CandidateList({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<CandidateSort>('MOST_RECENT');
  const filter = useCandidateFilter(round.id, filters);

  const choose = (name: keyof Filters) => (event: { target: { value: string } }) => setFilters({ ...filters, [name]: event.target.value });
  const anyOption = { value: '', label: t('candidates.any') };

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('candidates.title')}
      </Heading>
      <form role="search" aria-label={t('candidates.filters')} className="quire-filters" onSubmit={(e) => e.preventDefault()}>
        <TextField name="text" type="search" label={t('candidates.search')} value={filters.text} onChange={choose('text')} />
        <TextField name="periodFrom" type="number" inputMode="numeric" label={t('candidates.periodFrom')} value={filters.periodFrom} onChange={choose('periodFrom')} />
        <TextField name="periodTo" type="number" inputMode="numeric" label={t('candidates.periodTo')} value={filters.periodTo} onChange={choose('periodTo')} />
        <SelectField
          name="governmentLayer"
          label={t('candidate.governmentLayer')}
          value={filters.governmentLayer}
          onChange={choose('governmentLayer')}
          options={[anyOption, ...GOVERNMENT_LAYERS.map((layer) => ({ value: layer, label: t(`layers.${layer}`) }))]}
        />
        <SelectField
          name="gender"
          label={t('candidate.gender')}
          value={filters.gender}
          onChange={choose('gender')}
          options={[anyOption, ...GENDERS.map((gender) => ({ value: gender, label: t(`genders.${gender}`) }))]}
        />
        <SelectField
          name="status"
          label={t('candidate.status')}
          value={filters.status}
          onChange={choose('status')}
          options={[anyOption, ...CANDIDATE_STATUSES.map((status) => ({ value: status, label: t(`candidateStatuses.${status}`) }))]}
        />
        <SelectField
          name="sort"
          label={t('candidates.sort')}
          value={sort}
          onChange={(e) => setSort(oneOf(CANDIDATE_SORTS, e.target.value) ?? 'MOST_RECENT')}
          options={CANDIDATE_SORTS.map((s) => ({ value: s, label: t(`candidateSorts.${s}`) }))}
        />
      </form>
      <CandidateCards projectId={project.id} filter={filter} sort={sort} card={(entry) => <CandidateCard key={entry.candidate.id} entry={entry} slug={project.slug} />} />
    </section>
  );
}
