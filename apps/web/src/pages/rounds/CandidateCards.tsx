import { useQuery } from '@apollo/client/react';
import { Paragraph } from '@rijkshuisstijl-community/components-react';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../../components/feedback';
import { LoadMore } from '../../components/LoadMore';
import { useFormat } from '../../format';
import { CandidateFilter, CandidateListEntry, CANDIDATES, CandidateSort } from '../../graphql/nominations';

const PAGE_SIZE = 20;

/**
 * A project's candidates as cards, page by page, for a filter and sort: the round's list and the
 * ballot show the same pages with cards of their own. While a new filter loads, the cards it
 * replaces stay in view.
 */
export function CandidateCards({ projectId, filter, sort, card }: { projectId: string; filter: CandidateFilter; sort: CandidateSort; card(entry: CandidateListEntry): ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, previousData, error, fetchMore } = useQuery(CANDIDATES, {
    variables: { projectId, filter, sort, first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  const shown = data ?? previousData;

  if (error) return <QueryProblem error={error} />;
  if (!shown) return <Loading />;
  const { nodes, totalCount, pageInfo } = shown.candidates;
  return (
    <>
      {nodes.length === 0 ? <Paragraph>{t('candidates.empty')}</Paragraph> : <ul className="quire-cards">{nodes.map(card)}</ul>}
      <LoadMore
        count={t('candidates.count', { shown: format.number(nodes.length), total: format.number(totalCount) })}
        hasNextPage={pageInfo.hasNextPage}
        loadMore={() => fetchMore({ variables: { after: pageInfo.endCursor } })}
      />
    </>
  );
}
