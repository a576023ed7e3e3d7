import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { RoundPhase, RoundSummary } from '../../graphql/nominations';

/** The moment in a round's schedule that moves it into each phase (a round starts in DRAFT). */
export const PHASE_STARTS_AT = {
  NOMINATING: 'nominatingOpensAt',
  VOTING: 'votingOpensAt',
  CLOSED: 'closesAt',
} as const satisfies Record<Exclude<RoundPhase, 'DRAFT'>, keyof RoundSummary>;

export type ScheduleMoment = (typeof PHASE_STARTS_AT)[keyof typeof PHASE_STARTS_AT];
export const SCHEDULE_MOMENTS: readonly ScheduleMoment[] = Object.values(PHASE_STARTS_AT);

/** When the schedule moves the round into `phase`, if it says. */
export function scheduledStart(round: RoundSummary, phase: RoundPhase): string | null {
  return phase === 'DRAFT' ? null : round[PHASE_STARTS_AT[phase]];
}

export interface ScheduleItem {
  label: string;
  value: string;
}

/** A round's phase and the moments its schedule names, in words. */
export function useRoundSchedule(): (round: RoundSummary) => ScheduleItem[] {
  const { t } = useTranslation();
  const format = useFormat();
  return (round) => [
    { label: t('round.phase'), value: t(`phases.${round.phase}`) },
    ...SCHEDULE_MOMENTS.flatMap((moment) => {
      const at = round[moment];
      return at ? [{ label: t(`round.${moment}`), value: format.dateTime(at) }] : [];
    }),
  ];
}
