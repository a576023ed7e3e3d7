import { Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AboutWhom } from '../../components/AboutWhom';
import { TextField } from '../../components/fields';
import { LoadMore } from '../../components/LoadMore';
import { TableRegion } from '../../components/TableRegion';
import { useFormat, yearSpan } from '../../format';
import { RoundResults } from '../../graphql/voting';
import { ToggleButton } from '../voting/ToggleButton';

/** Rows shown at first and added per "show more": a long results list stays quick to use. */
const ROWS_PER_PAGE = 50;

interface CandidateChoicesProps {
  results: RoundResults;
  pinned: string[];
  excluded: string[];
  onChange(choices: { pinned: string[]; excluded: string[] }): void;
}

/**
 * The round's results with a pin and an exclude toggle per candidate: pinned ones must be in the
 * selection, excluded ones stay out. A candidate is one or the other, never both.
 */
export function CandidateChoices({ results, pinned, excluded, onChange }: CandidateChoicesProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(ROWS_PER_PAGE);
  const needle = search.trim().toLocaleLowerCase();
  const matching = needle ? results.entries.filter((e) => e.candidate.name.toLocaleLowerCase().includes(needle)) : results.entries;
  const shown = matching.slice(0, limit);

  function toggle(list: 'pinned' | 'excluded', candidateId: string): void {
    const wasOn = (list === 'pinned' ? pinned : excluded).includes(candidateId);
    const choices = { pinned: pinned.filter((id) => id !== candidateId), excluded: excluded.filter((id) => id !== candidateId) };
    if (!wasOn) choices[list].push(candidateId);
    onChange(choices);
  }

  return (
    <div className="quire-stack quire-wide">
      <TextField
        name="candidateSearch"
        type="search"
        label={t('selection.filter')}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        // The search filters as one types; Enter here must not send the surrounding form.
        onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}
      />
      <Paragraph>{t('selection.choices', { pinned: format.number(pinned.length), excluded: format.number(excluded.length) })}</Paragraph>
      <TableRegion caption={t('selection.candidatesCaption')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t('leaderboard.rank')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('leaderboard.candidate')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('leaderboard.votes')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('candidate.governmentLayer')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('candidate.gender')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('candidate.region')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('candidate.period')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('selection.pinOrExclude')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {shown.map(({ rank, votes, candidate }) => (
            <TableRow key={candidate.id}>
              <TableCell>{format.number(rank)}</TableCell>
              <TableCell>{candidate.name}</TableCell>
              <TableCell>{format.number(votes)}</TableCell>
              <TableCell>{t(`layers.${candidate.governmentLayer}`)}</TableCell>
              <TableCell>{t(`genders.${candidate.gender}`)}</TableCell>
              <TableCell>{candidate.region}</TableCell>
              <TableCell>{yearSpan(candidate.periodStart, candidate.periodEnd)}</TableCell>
              <TableCell>
                <div className="quire-actions">
                  <ToggleButton pressed={pinned.includes(candidate.id)} onClick={() => toggle('pinned', candidate.id)}>
                    {t('selection.pin')}
                    <AboutWhom name={candidate.name} />
                  </ToggleButton>
                  <ToggleButton pressed={excluded.includes(candidate.id)} onClick={() => toggle('excluded', candidate.id)}>
                    {t('selection.exclude')}
                    <AboutWhom name={candidate.name} />
                  </ToggleButton>
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </TableRegion>
      <LoadMore
        count={t('candidates.count', { shown: format.number(shown.length), total: format.number(matching.length) })}
        hasNextPage={shown.length < matching.length}
        loadMore={async () => setLimit(limit + ROWS_PER_PAGE)}
      />
    </div>
  );
}
