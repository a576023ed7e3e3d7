import { Button, Heading, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { RouterLink } from '../../components/RouterLink';
import { TableRegion } from '../../components/TableRegion';
import { useFormat } from '../../format';
import { Project } from '../../graphql/operations';
import { Selection } from '../../graphql/voting';
import { paths } from '../../paths';

interface TieBreakProps {
  project: Project;
  selection: Pick<Selection, 'seed' | 'ties'>;
  /** The level of its heading: 3 within a proposal, 2 on its own. */
  level: 2 | 3;
  /** Puts the seed in the editors' form, to re-run the draw; absent for readers. */
  onReuseSeed?(seed: string): void;
}

/**
 * The documented tie-break, a seeded draw anyone can re-run, and where it decided: each group of
 * candidates with equal votes the selection split, in the order of the draw, with their ids.
 */
export function TieBreak({ project, selection, level, onReuseSeed }: TieBreakProps) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <Heading level={level}>{t('selection.drawTitle')}</Heading>
      <Paragraph>{t('selection.draw', { seed: selection.seed })}</Paragraph>
      <Paragraph>
        <code className="quire-break">{t('selection.seedValue', { seed: selection.seed })}</code>
      </Paragraph>
      {selection.ties.length === 0 && <Paragraph>{t('selection.noTies')}</Paragraph>}
      {selection.ties.map((tie) => (
        <div key={tie.votes} className="quire-stack">
          <Paragraph>
            {t('selection.tie', {
              number: format.number(tie.candidates.length), votes: format.number(tie.votes), selected: format.number(tie.candidates.filter((c) => c.selected).length),
            })}
          </Paragraph>
          <TableRegion caption={t('selection.tieCaption', { votes: format.number(tie.votes) })}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t('selection.drawPosition')}</TableHeaderCell>
                <TableHeaderCell scope="col">{t('leaderboard.candidate')}</TableHeaderCell>
                <TableHeaderCell scope="col">{t('selection.candidateId')}</TableHeaderCell>
                <TableHeaderCell scope="col">{t('selection.tieOutcome')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tie.candidates.map(({ candidate, drawPosition, selected }) => (
                <TableRow key={candidate.id}>
                  <TableCell>{format.number(drawPosition)}</TableCell>
                  <TableCell>
                    <RouterLink to={paths.candidate(project.slug, candidate.id)}>{candidate.name}</RouterLink>
                  </TableCell>
                  <TableCell>
                    <code className="quire-break">{candidate.id}</code>
                  </TableCell>
                  <TableCell>{selected ? t('selection.tieIn') : t('selection.tieOut')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </TableRegion>
        </div>
      ))}
      {onReuseSeed && (
        <Button appearance="secondary-action-button" onClick={() => onReuseSeed(selection.seed)}>
          {t('selection.reuseSeed')}
        </Button>
      )}
    </>
  );
}
