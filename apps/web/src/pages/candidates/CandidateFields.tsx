import { Fieldset } from '@rijkshuisstijl-community/components-react';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { oneOf } from '../../choices';
import { SelectField, TextAreaField, TextField } from '../../components/fields';
import { formLines, formText, formWholeNumber } from '../../components/form';
import { CandidateDetails, GENDERS, GOVERNMENT_LAYERS } from '../../graphql/nominations';

// The fields are named after the api's input (candidate.name, candidate.birthYear, …), which
// names them so in its field problems: each problem appears next to its field.
const FIELD = {
  name: 'candidate.name',
  nameVariants: 'candidate.nameVariants',
  birthYear: 'candidate.birthYear',
  deathYear: 'candidate.deathYear',
  governmentLayer: 'candidate.governmentLayer',
  gender: 'candidate.gender',
  periodStart: 'candidate.periodStart',
  periodEnd: 'candidate.periodEnd',
  organisation: 'candidate.organisation',
  offices: 'candidate.offices',
  region: 'candidate.region',
  wikidataId: 'candidate.wikidataId',
  bio: 'candidate.bio',
} as const satisfies Record<keyof CandidateDetails, string>;

/** Who someone is by name and life years: what duplicates are found by. */
export interface CandidateIdentity {
  name: string;
  birthYear: string;
  deathYear: string;
}

/** The candidate described by the fields of a form with CandidateFields. */
export function candidateDetailsFrom(data: FormData): CandidateDetails {
  const year = (name: string): number | null => formWholeNumber(data, name) ?? null;
  return {
    name: formText(data, FIELD.name),
    nameVariants: formLines(data, FIELD.nameVariants),
    birthYear: year(FIELD.birthYear),
    deathYear: year(FIELD.deathYear),
    governmentLayer: oneOf(GOVERNMENT_LAYERS, formText(data, FIELD.governmentLayer)) ?? 'OTHER',
    gender: oneOf(GENDERS, formText(data, FIELD.gender)) ?? 'UNKNOWN',
    periodStart: year(FIELD.periodStart),
    periodEnd: year(FIELD.periodEnd),
    organisation: formText(data, FIELD.organisation),
    offices: formLines(data, FIELD.offices),
    region: formText(data, FIELD.region),
    wikidataId: formText(data, FIELD.wikidataId).trim() || null,
    bio: formText(data, FIELD.bio),
  };
}

interface CandidateFieldsProps {
  /** What the fields start with (editing a candidate); empty for a new one. */
  defaults?: CandidateDetails;
  /** Told whenever the name or a life year changes, to look for duplicates. */
  onIdentityChange?: (identity: CandidateIdentity) => void;
  /** Shown right after the name and years, where a duplicate warning belongs. */
  afterIdentity?: ReactNode;
}

const yearInput = { type: 'number', inputMode: 'numeric', min: 1000, max: 2100 } as const;

/** Everything Quire records about a candidate, in three groups; for nominating and for editing. */
export function CandidateFields({ defaults, onIdentityChange, afterIdentity }: CandidateFieldsProps) {
  const { t } = useTranslation();

  function identityChanged(event: { currentTarget: HTMLInputElement }): void {
    const form = event.currentTarget.form;
    if (!form || !onIdentityChange) return;
    const data = new FormData(form);
    onIdentityChange({ name: formText(data, FIELD.name), birthYear: formText(data, FIELD.birthYear), deathYear: formText(data, FIELD.deathYear) });
  }

  return (
    <>
      <Fieldset legend={t('candidateFields.who')}>
        <TextField name={FIELD.name} label={t('candidate.name')} description={t('candidateFields.nameHint')} defaultValue={defaults?.name} autoComplete="off" required onChange={identityChanged} />
        <TextField name={FIELD.birthYear} label={t('candidate.birthYear')} defaultValue={defaults?.birthYear ?? ''} onChange={identityChanged} {...yearInput} />
        <TextField name={FIELD.deathYear} label={t('candidate.deathYear')} defaultValue={defaults?.deathYear ?? ''} onChange={identityChanged} {...yearInput} />
        <TextAreaField name={FIELD.nameVariants} label={t('candidate.nameVariants')} description={t('candidateFields.onePerLine')} defaultValue={defaults?.nameVariants.join('\n')} rows={2} />
      </Fieldset>
      {afterIdentity}
      <Fieldset legend={t('candidateFields.work')}>
        <SelectField
          name={FIELD.governmentLayer}
          label={t('candidate.governmentLayer')}
          defaultValue={defaults?.governmentLayer ?? 'OTHER'}
          options={GOVERNMENT_LAYERS.map((layer) => ({ value: layer, label: t(`layers.${layer}`) }))}
        />
        <TextField name={FIELD.periodStart} label={t('candidate.periodStart')} description={t('candidateFields.periodHint')} defaultValue={defaults?.periodStart ?? ''} {...yearInput} />
        <TextField name={FIELD.periodEnd} label={t('candidate.periodEnd')} defaultValue={defaults?.periodEnd ?? ''} {...yearInput} />
        <TextField name={FIELD.organisation} label={t('candidate.organisation')} defaultValue={defaults?.organisation} />
        <TextAreaField name={FIELD.offices} label={t('candidate.offices')} description={t('candidateFields.onePerLine')} defaultValue={defaults?.offices.join('\n')} rows={3} />
        <TextField name={FIELD.region} label={t('candidate.region')} defaultValue={defaults?.region} />
      </Fieldset>
      <Fieldset legend={t('candidateFields.more')}>
        <SelectField
          name={FIELD.gender}
          label={t('candidate.gender')}
          defaultValue={defaults?.gender ?? 'UNKNOWN'}
          options={GENDERS.map((gender) => ({ value: gender, label: t(`genders.${gender}`) }))}
        />
        <TextField name={FIELD.wikidataId} label={t('candidate.wikidataId')} description={t('candidateFields.wikidataHint')} defaultValue={defaults?.wikidataId ?? ''} autoComplete="off" />
        <TextAreaField name={FIELD.bio} label={t('candidate.bio')} defaultValue={defaults?.bio} rows={5} />
      </Fieldset>
    </>
  );
}
