import { useQuery, useSubscription } from '@apollo/client/react';
import { DataSummary, DataSummaryItem, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../../components/feedback';
import { LoadMore } from '../../components/LoadMore';
import { RouterLink } from '../../components/RouterLink';
import { TableRegion } from '../../components/TableRegion';
import { useFormat } from '../../format';
import { Round } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { Leaderboard, LEADERBOARD, LEADERBOARD_CHANGED, LeaderboardEntry } from '../../graphql/voting';
import { paths } from '../../paths';

/** Rank changes are read out at most this often, so a busy round does not talk all the time. */
const ANNOUNCE_EVERY_MS = 10_000;
/** The places an announcement names; changes further down are seen, not read out. */
const ANNOUNCED_PLACES = 3;
/** How many more rows "load more" asks for on the full leaderboard. */
const PAGE_SIZE = 100;

/**
 * The round's standings, live: the subscription sends them at once and again after every change.
 * The query answers first over plain HTTP, so the table is there even before the socket is.
 */
function useLiveLeaderboard(roundId: string, first: number): { board: Leaderboard | undefined; error: unknown } {
  const query = useQuery(LEADERBOARD, { variables: { roundId, first }, fetchPolicy: 'network-only' });
  const live = useSubscription(LEADERBOARD_CHANGED, { variables: { roundId, first } });
  const fromQuery = query.data?.leaderboard;
  const fromLive = live.data?.leaderboardChanged;
  // Whichever is newer; on a tie the live one, which knows the previous ranks.
  const board = fromQuery && (!fromLive || fromQuery.revision > fromLive.revision) ? fromQuery : fromLive;
  return { board, error: board ? null : (query.error ?? live.error ?? null) };
}

/** The top places as one sentence, e.g. "A at rank 1 with 3 votes, B at rank 2 with 2 votes". */
function useDescribeTop(): (entries: LeaderboardEntry[]) => string {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  return (entries) =>
    new Intl.ListFormat(i18n.language, { type: 'unit' }).format(
      entries.map((e) => t('leaderboard.place', { name: e.name, rank: format.number(e.rank), votes: t('leaderboard.votesCount', { count: e.votes }) })),
    );
}

const topKey = (board: Leaderboard): string => JSON.stringify(board.entries.slice(0, ANNOUNCED_PLACES).map((e) => [e.candidateId, e.rank]));

/**
 * A polite announcement when the top places change: who stands where now. Not on every update:
 * at most once per ANNOUNCE_EVERY_MS, saying how things stand then. The first standings are on
 * screen to read, not announced.
 */
function useRankAnnouncement(board: Leaderboard | undefined): string {
  const describeTop = useDescribeTop();
  const [announcement, setAnnouncement] = useState('');
  const latest = useRef(board);
  const announcedKey = useRef<string | null>(null);
  const lastAnnouncedAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  latest.current = board;
  const describe = useRef(describeTop);
  describe.current = describeTop;

  useEffect(() => {
    if (!board?.talliesVisible) return;
    if (announcedKey.current === null) {
      announcedKey.current = topKey(board);
      return;
    }
    if (timer.current !== undefined || topKey(board) === announcedKey.current) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      const now = latest.current;
      if (!now?.talliesVisible || topKey(now) === announcedKey.current) return;
      announcedKey.current = topKey(now);
      lastAnnouncedAt.current = Date.now();
      setAnnouncement(describe.current(now.entries.slice(0, ANNOUNCED_PLACES)));
    }, Math.max(0, lastAnnouncedAt.current + ANNOUNCE_EVERY_MS - Date.now()));
  }, [board]);

  useEffect(() => () => clearTimeout(timer.current), []);
  return announcement;
}

/** How far a candidate moved since the previous update: an arrow to see, words to hear. */
function RankChange({ entry }: { entry: LeaderboardEntry }) {
  const { t } = useTranslation();
  if (entry.previousRank === null) return <span className="quire-muted">–</span>;
  const moved = entry.previousRank - entry.rank;
  if (moved === 0) {
    return (
      <>
        <span aria-hidden="true">–</span>
        <span className="quire-visually-hidden">{t('leaderboard.unchanged')}</span>
      </>
    );
  }
  const words = moved > 0 ? t('leaderboard.up', { count: moved }) : t('leaderboard.down', { count: -moved });
  return (
    <>
      <span aria-hidden="true">{moved > 0 ? `▲ ${moved}` : `▼ ${-moved}`}</span>
      <span className="quire-visually-hidden">{words}</span>
    </>
  );
}

function Totals({ board }: { board: Leaderboard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const totals: [string, number | null][] = [
    [t('leaderboard.totalVotes'), board.totalVotes],
    [t('leaderboard.voters'), board.voters],
    [t('leaderboard.countedVoters'), board.countedVoters],
  ];
  return (
    <DataSummary>
      {totals.map(([key, value]) => value !== null && <DataSummaryItem key={key} itemKey={key} itemValue={format.number(value)} />)}
    </DataSummary>
  );
}

interface LiveLeaderboardProps {
  project: Project;
  round: Round;
  /** How many places to show at first. */
  first: number;
  /** Whether a button may show more places (the full leaderboard) or not (a preview). */
  expandable?: boolean;
}

/**
 * The round's live standings. Members see counts only where the phase shows them; editors always
 * (and are told when members do not).
 */
export function LiveLeaderboard({ project, round, first: initialFirst, expandable = false }: LiveLeaderboardProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const [first, setFirst] = useState(initialFirst);
  const { board, error } = useLiveLeaderboard(round.id, first);
  const announcement = useRankAnnouncement(board);

  if (!board) return error ? <QueryProblem error={error} /> : <Loading />;
  if (!board.talliesVisible) return <Paragraph>{t('leaderboard.hidden')}</Paragraph>;
  return (
    <>
      {!round.rules[round.phase].talliesVisible && <Paragraph>{t('leaderboard.editorsOnly')}</Paragraph>}
      <Totals board={board} />
      {/* Announces who leads now and then; the table itself changes silently. */}
      <div aria-live="polite" aria-atomic="true" className="quire-visually-hidden">
        {announcement && t('leaderboard.announcement', { standings: announcement })}
      </div>
      {board.entries.length === 0 ? (
        <Paragraph>{t('leaderboard.empty')}</Paragraph>
      ) : (
        <TableRegion caption={board.final ? t('results.title') : t('leaderboard.caption')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell scope="col">{t('leaderboard.rank')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('leaderboard.candidate')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('leaderboard.votes')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('leaderboard.change')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {board.entries.map((entry) => (
              <TableRow key={entry.candidateId}>
                <TableCell>{format.number(entry.rank)}</TableCell>
                <TableCell>
                  <RouterLink to={paths.candidate(project.slug, entry.candidateId)}>{entry.name}</RouterLink>
                </TableCell>
                <TableCell>{format.number(entry.votes)}</TableCell>
                <TableCell>
                  <RankChange entry={entry} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </TableRegion>
      )}
      {expandable ? (
        <LoadMore
          count={t('leaderboard.count', { shown: format.number(board.entries.length), total: format.number(board.candidateCount) })}
          hasNextPage={board.entries.length < board.candidateCount}
          loadMore={async () => setFirst(first + PAGE_SIZE)}
        />
      ) : (
        <RouterLink to={paths.leaderboard(project.slug, round.id)}>{t('leaderboard.showAll')}</RouterLink>
      )}
    </>
  );
}
