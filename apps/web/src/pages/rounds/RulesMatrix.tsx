import { Checkbox, Fieldset, Paragraph, Table, TableBody, TableCaption, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { oneOf } from '../../choices';
import { CheckboxField } from '../../components/fields';
import { ROUND_ACTIONS, ROUND_PHASES, RoundAction, RoundPhase, RoundRules } from '../../graphql/nominations';
import { PROJECT_ROLES, ProjectRole } from '../../graphql/operations';

// Named apart from the api's input (rules.NOMINATING.vote): a problem the api reports on the
// rules then shows in the form's alert, which the grid of checkboxes has no single place for.
const ruleName = (phase: RoundPhase, action: RoundAction): string => `rule:${phase}:${action}`;
const talliesName = (phase: RoundPhase): string => `tallies:${phase}`;

/** The rules as ticked in a form with RulesMatrix. */
export function rulesFrom(data: FormData): RoundRules {
  const roles = (phase: RoundPhase, action: RoundAction): ProjectRole[] =>
    data.getAll(ruleName(phase, action)).flatMap((value) => oneOf(PROJECT_ROLES, value) ?? []);
  const phaseRules = (phase: RoundPhase) => ({
    nominate: roles(phase, 'nominate'),
    endorse: roles(phase, 'endorse'),
    comment: roles(phase, 'comment'),
    vote: roles(phase, 'vote'),
    talliesVisible: data.has(talliesName(phase)),
  });
  return { DRAFT: phaseRules('DRAFT'), NOMINATING: phaseRules('NOMINATING'), VOTING: phaseRules('VOTING'), CLOSED: phaseRules('CLOSED') };
}

function RuleCheckbox({ phase, action, role, checked }: { phase: RoundPhase; action: RoundAction; role: ProjectRole; checked: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <Checkbox id={id} name={ruleName(phase, action)} value={role} defaultChecked={checked} />
      <label htmlFor={id} className="quire-visually-hidden">
        {t('roundSettings.ruleLabel', { action: t(`actions.${action}`), role: t(`roles.${role}`) })}
      </label>
    </>
  );
}

function PhaseTable({ phase, rules }: { phase: RoundPhase; rules: RoundRules }) {
  const { t } = useTranslation();
  return (
    <div className="quire-rules-phase">
      {/* Narrow enough for a phone: four roles across, the actions down. */}
      <Table className="quire-rules-table">
        <TableCaption>{t(`phases.${phase}`)}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableCell>
              <span className="quire-visually-hidden">{t('roundSettings.action')}</span>
            </TableCell>
            {PROJECT_ROLES.map((role) => (
              <TableHeaderCell key={role} scope="col">
                {t(`roles.${role}`)}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {ROUND_ACTIONS.map((action) => (
            <TableRow key={action}>
              <TableHeaderCell scope="row">{t(`actions.${action}`)}</TableHeaderCell>
              {PROJECT_ROLES.map((role) => (
                <TableCell key={role}>
                  <RuleCheckbox phase={phase} action={action} role={role} checked={rules[phase][action].includes(role)} />
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <CheckboxField name={talliesName(phase)} label={t('roundSettings.talliesVisible', { phase: t(`phases.${phase}`) })} defaultChecked={rules[phase].talliesVisible} />
    </div>
  );
}

/** Who may do what in each phase of a round: a grid of roles per action, and whether tallies show. */
export function RulesMatrix({ rules }: { rules: RoundRules }) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t('roundSettings.rules')}>
      <Paragraph>{t('roundSettings.rulesHint')}</Paragraph>
      {ROUND_PHASES.map((phase) => (
        <PhaseTable key={phase} phase={phase} rules={rules} />
      ))}
    </Fieldset>
  );
}
