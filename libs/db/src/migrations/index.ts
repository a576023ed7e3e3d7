import { Foundation1764000000000 } from './1764000000000-foundation';
import { OutboxSettlement1764100000000 } from './1764100000000-outbox-settlement';
import { Nominations1764200000000 } from './1764200000000-nominations';
import { Notifications1764300000000 } from './1764300000000-notifications';
import { Voting1764400000000 } from './1764400000000-voting';
import { Collaboration1764500000000 } from './1764500000000-collaboration';
import { CollabLogPositions1764600000000 } from './1764600000000-collab-log-positions';
import { VotePathKeys1764700000000 } from './1764700000000-vote-path-keys';
import { OutboxCoalescing1765000000000 } from './1765000000000-outbox-coalescing';
import { SelectionPerRound1765100000000 } from './1765100000000-selection-per-round';
import { VoteBatchFunction1765200000000 } from './1765200000000-vote-batch-function';
import { VoteBatchOneCall1765300000000 } from './1765300000000-vote-batch-one-call';
import { TallyMarks1765400000000 } from './1765400000000-tally-marks';
import { VoteVotersInline1765500000000 } from './1765500000000-vote-voters-inline';

/** Every schema change, in order. Never edit one that has shipped; add the next. */
export const migrations = [
  Foundation1764000000000, OutboxSettlement1764100000000, Nominations1764200000000, Notifications1764300000000, Voting1764400000000, Collaboration1764500000000,
  CollabLogPositions1764600000000, VotePathKeys1764700000000, OutboxCoalescing1765000000000, SelectionPerRound1765100000000, VoteBatchFunction1765200000000,
  VoteBatchOneCall1765300000000, TallyMarks1765400000000, VoteVotersInline1765500000000,
];
