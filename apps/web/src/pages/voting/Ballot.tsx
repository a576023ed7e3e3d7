import type { ApolloClient } from '@apollo/client';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Button, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AboutWhom } from '../../components/AboutWhom';
import { useAction } from '../../components/actions';
import { ErrorMessages, Loading, QueryProblem } from '../../components/feedback';
import { SelectField, TextField } from '../../components/fields';
import { Form, formText, SubmitButton, useFormAction } from '../../components/form';
import { RouterLink } from '../../components/RouterLink';
import { useOnChange } from '../../components/useOnChange';
import { useDebouncedValue } from '../../components/useDebouncedValue';
import { useFormat, yearSpan } from '../../format';
import { Candidate, Round, ROUND } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { Ballot, CAST_VOTE, MOVE_VOTE, MY_BALLOT, WITHDRAW_VOTE } from '../../graphql/voting';
import { paths } from '../../paths';
import { CandidateCards } from '../rounds/CandidateCards';
import { ToggleButton } from './ToggleButton';

/** How long typing may pause before the list follows (a query per key would be wasted). */
const TYPING_PAUSE_MS = 250;

/** Words for what the api refuses on a ballot, in terms of voting. */
function useBallotMessages(): ErrorMessages {
  const { t } = useTranslation();
  return {
    LIMIT_EXCEEDED: t('ballot.errors.LIMIT_EXCEEDED'),
    NOT_ALLOWED_IN_PHASE: t('ballot.errors.NOT_ALLOWED_IN_PHASE'),
    CONFLICT: t('ballot.errors.CONFLICT'),
    FORBIDDEN: t('ballot.errors.FORBIDDEN'),
    NOT_FOUND: t('ballot.errors.NOT_FOUND'),
    BAD_USER_INPUT: t('ballot.errors.BAD_USER_INPUT'),
  };
}

/**
 * Fetches the round and my ballot again: this screen was behind (a vote from another tab, a round
 * an editor closed meanwhile). Failures are left to the next fetch.
 */
export async function refreshBallot(client: ApolloClient): Promise<void> {
  await client.refetchQueries({ include: [MY_BALLOT, ROUND] }).catch(() => undefined);
}

interface BallotChanges {
  cast(candidateId: string): Promise<unknown>;
  withdraw(candidateId: string): Promise<unknown>;
  move(fromCandidateId: string, toCandidateId: string): Promise<unknown>;
}

/**
 * Vote changes, each followed by the ballot as the api now has it. A refused change fetches the
 * ballot and the round too: the refusal usually means this screen was behind (a vote from another
 * tab, a round that closed meanwhile).
 */
function useBallotChanges(roundId: string): BallotChanges {
  const options = { refetchQueries: [MY_BALLOT], awaitRefetchQueries: true };
  const client = useApolloClient();
  const [castVote] = useMutation(CAST_VOTE, options);
  const [withdrawVote] = useMutation(WITHDRAW_VOTE, options);
  const [moveVote] = useMutation(MOVE_VOTE, options);

  async function refreshingOnError(change: Promise<unknown>): Promise<unknown> {
    try {
      return await change;
    } catch (error) {
      await refreshBallot(client);
      throw error;
    }
  }

  return {
    cast: (candidateId) => refreshingOnError(castVote({ variables: { roundId, candidateId } })),
    withdraw: (candidateId) => refreshingOnError(withdrawVote({ variables: { roundId, candidateId } })),
    move: (fromCandidateId, toCandidateId) => refreshingOnError(moveVote({ variables: { roundId, fromCandidateId, toCandidateId } })),
  };
}

/**
 * Votes left and whether they count, or why I cannot vote. It is a live region from the start, so
 * every change is read out: after a vote, and when voting turns out to have ended.
 */
function BallotStatus({ ballot, voting }: { ballot: Ballot; voting: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  let status;
  if (!ballot.canVote) status = <Paragraph>{voting ? t('ballot.cannotVote') : t('ballot.closed')}</Paragraph>;
  else {
    status = (
      <>
        <Paragraph className="quire-ballot-status__left">{t('ballot.votesLeft', { left: format.number(ballot.votesLeft), budget: format.number(ballot.budget) })}</Paragraph>
        {ballot.minimum > 1 && (
          <Paragraph>
            {ballot.counting
              ? t('ballot.minimumReached', { minimum: format.number(ballot.minimum) })
              : t('ballot.minimumPending', { minimum: format.number(ballot.minimum), cast: format.number(ballot.votesCast) })}
          </Paragraph>
        )}
      </>
    );
  }
  return (
    <div role="status" aria-atomic="true" className="quire-ballot-status">
      {status}
    </div>
  );
}

function MyVotes({ project, ballot, changes, onWithdrawn }: { project: Project; ballot: Ballot; changes: BallotChanges; onWithdrawn(): void }) {
  const { t } = useTranslation();
  const messages = useBallotMessages();
  if (ballot.votes.length === 0) return <Paragraph>{t('ballot.noVotes')}</Paragraph>;
  return (
    <ul className="quire-cards">
      {ballot.votes.map(({ candidate }) => (
        <li key={candidate.id} className="quire-card quire-ballot-card">
          <RouterLink to={paths.candidate(project.slug, candidate.id)}>{candidate.name}</RouterLink>
          {ballot.canVote && <WithdrawButton candidate={candidate} changes={changes} messages={messages} onWithdrawn={onWithdrawn} />}
        </li>
      ))}
    </ul>
  );
}

function WithdrawButton({ candidate, changes, messages, onWithdrawn }: { candidate: Pick<Candidate, 'id' | 'name'>; changes: BallotChanges; messages: ErrorMessages; onWithdrawn(): void }) {
  const { t } = useTranslation();
  const action = useAction();
  return (
    <div>
      <Button
        appearance="secondary-action-button"
        busy={action.busy}
        onClick={() =>
          void action.run(async () => {
            await changes.withdraw(candidate.id);
            onWithdrawn();
          })
        }
      >
        {t('ballot.withdraw')}
        <AboutWhom name={candidate.name} />
      </Button>
      {action.error !== null && <QueryProblem error={action.error} messages={messages} />}
    </div>
  );
}

/** With no votes left, a vote for someone new is a vote moved from one of mine. */
function MoveVoteForm({ ballot, candidate, changes, onDone }: { ballot: Ballot; candidate: Candidate; changes: BallotChanges; onDone(): void }) {
  const { t } = useTranslation();
  const messages = useBallotMessages();
  const panel = useRef<HTMLDivElement>(null);
  const action = useFormAction(async (data) => {
    await changes.move(formText(data, 'fromCandidateId'), candidate.id);
    onDone();
  });

  useEffect(() => {
    panel.current?.querySelector('select')?.focus();
  }, []);

  return (
    <div ref={panel}>
      <Form action={action} messages={messages}>
        <Paragraph>{t('ballot.noVotesLeft', { name: candidate.name })}</Paragraph>
        <SelectField name="fromCandidateId" label={t('ballot.moveFrom')} options={ballot.votes.map((v) => ({ value: v.candidateId, label: v.candidate.name }))} />
        <div className="quire-actions">
          <SubmitButton>{t('ballot.move')}</SubmitButton>
          <Button appearance="secondary-action-button" onClick={onDone}>
            {t('dialog.cancel')}
          </Button>
        </div>
      </Form>
    </div>
  );
}

/** A candidate on the ballot; its button is pressed while I vote for them, and pressing it again withdraws. */
function BallotCandidate({ project, ballot, candidate, changes }: { project: Project; ballot: Ballot; candidate: Candidate; changes: BallotChanges }) {
  const { t } = useTranslation();
  const messages = useBallotMessages();
  const action = useAction();
  const [moving, setMoving] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const voted = ballot.votes.some((v) => v.candidateId === candidate.id);
  const life = yearSpan(candidate.birthYear, candidate.deathYear);

  function onToggle(): void {
    if (voted) void action.run(() => changes.withdraw(candidate.id));
    else if (ballot.votesLeft === 0) setMoving(true);
    else void action.run(() => changes.cast(candidate.id));
  }

  function closeMove(): void {
    setMoving(false);
    toggle.current?.focus();
  }

  return (
    <li className="quire-card">
      <div className="quire-ballot-card">
        <div>
          <Heading level={4}>
            <RouterLink to={paths.candidate(project.slug, candidate.id)}>{candidate.name}</RouterLink>
            {life && <span className="quire-muted"> ({life})</span>}
          </Heading>
          {candidate.organisation && <Paragraph>{candidate.organisation}</Paragraph>}
        </div>
        {ballot.canVote && (
          <ToggleButton ref={toggle} pressed={voted} busy={action.busy} onClick={onToggle}>
            {t('ballot.vote')}
            <AboutWhom name={candidate.name} />
          </ToggleButton>
        )}
      </div>
      {action.error !== null && <QueryProblem error={action.error} messages={messages} />}
      {moving && <MoveVoteForm ballot={ballot} candidate={candidate} changes={changes} onDone={closeMove} />}
    </li>
  );
}

/** The round's candidates by name, to vote for; a search narrows them down. */
function BallotCandidates({ project, round, ballot, changes }: { project: Project; round: Round; ballot: Ballot; changes: BallotChanges }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [text, setText] = useState('');
  const settledText = useDebouncedValue(text.trim(), TYPING_PAUSE_MS);

  return (
    <div className="quire-stack">
      <Heading level={3} id={headingId}>
        {t('ballot.candidates')}
      </Heading>
      <form role="search" aria-labelledby={headingId} className="quire-filters" onSubmit={(e) => e.preventDefault()}>
        <TextField name="text" type="search" label={t('candidates.search')} value={text} onChange={(e) => setText(e.target.value)} />
      </form>
      <CandidateCards
        projectId={project.id}
        filter={{ roundId: round.id, text: settledText || null }}
        sort="NAME"
        card={({ candidate }) => <BallotCandidate key={candidate.id} project={project} ballot={ballot} candidate={candidate} changes={changes} />}
      />
    </div>
  );
}

/**
 * My ballot in a round: votes left, my votes (to withdraw) and the candidates (to vote for, or
 * to move a vote to once none are left). After the round, my votes as they were cast.
 */
export function BallotSection({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const headingId = useId();
  const changes = useBallotChanges(round.id);
  // A withdrawn vote's button goes with it: focus moves to the list's heading, not to the page's start.
  const myVotesHeading = useRef<HTMLHeadingElement>(null);
  // Votes cast in another tab or on another device show up when the screen is opened again.
  const { data, error, refetch } = useQuery(MY_BALLOT, { variables: { roundId: round.id }, fetchPolicy: 'cache-and-network' });
  const ballot = data?.myBallot;
  // Whether I may vote follows the round's phase, which can change while the screen is open.
  useOnChange(round.phase, () => void refetch().catch(() => undefined));

  let content;
  if (error) content = <QueryProblem error={error} />;
  else if (!ballot) content = <Loading />;
  else {
    content = (
      <>
        <BallotStatus ballot={ballot} voting={round.phase === 'VOTING'} />
        {(ballot.canVote || ballot.votesCast > 0) && (
          <>
            <Heading level={3} ref={myVotesHeading} tabIndex={-1}>
              {t('ballot.myVotes')}
            </Heading>
            <MyVotes project={project} ballot={ballot} changes={changes} onWithdrawn={() => myVotesHeading.current?.focus()} />
          </>
        )}
        {ballot.canVote && <BallotCandidates project={project} round={round} ballot={ballot} changes={changes} />}
      </>
    );
  }

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('ballot.title')}
      </Heading>
      {content}
    </section>
  );
}
