import { Checkbox, Fieldset, FormFieldErrorMessage, Textarea, TextInput } from '@rijkshuisstijl-community/components-react';
import type { TextInputProps } from '@rijkshuisstijl-community/components-react';
import { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES } from '../i18n';
import { useFieldProblem } from './form';

// The form fields of NL Design System (Utrecht/Rijkshuisstijl) generate their own ids and do not
// always point aria-describedby at the description and error they render. These fields use the
// same CSS classes, with ids we control, so every input names its label, description and error.

interface ControlProps {
  id: string;
  invalid: boolean;
  'aria-describedby'?: string;
}

interface FieldFrameProps {
  name: string;
  label: ReactNode;
  description?: ReactNode;
  children: (control: ControlProps) => ReactNode;
}

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined;
}

function FieldError({ id, name }: { id: string; name: string }) {
  const { t } = useTranslation();
  const problem = useFieldProblem(name);
  if (!problem) return null;
  return (
    <FormFieldErrorMessage className="utrecht-form-field__error-message" id={id}>
      <span lang={problem.lang}>{t('form.fieldError', { message: problem.text })}</span>
    </FormFieldErrorMessage>
  );
}

function FieldFrame({ name, label, description, children }: FieldFrameProps) {
  const id = useId();
  const invalid = !!useFieldProblem(name);
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  return (
    <div className={`utrecht-form-field${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <div className="utrecht-form-field__label">
        <label className="utrecht-form-label" htmlFor={id}>
          {label}
        </label>
      </div>
      {description && (
        <div className="utrecht-form-field__description utrecht-form-field-description" id={descriptionId}>
          {description}
        </div>
      )}
      <FieldError id={errorId} name={name} />
      <div className="utrecht-form-field__input">
        {children({ id, invalid, 'aria-describedby': describedBy(description ? descriptionId : false, invalid && errorId) })}
      </div>
    </div>
  );
}

interface TextFieldProps extends Omit<TextInputProps, 'id' | 'name' | 'invalid'> {
  name: string;
  label: ReactNode;
  description?: ReactNode;
}

export function TextField({ name, label, description, ...input }: TextFieldProps) {
  return (
    <FieldFrame name={name} label={label} description={description}>
      {(control) => <TextInput {...input} {...control} name={name} />}
    </FieldFrame>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'name'> {
  name: string;
  label: ReactNode;
  description?: ReactNode;
}

export function TextAreaField({ name, label, description, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame name={name} label={label} description={description}>
      {(control) => <Textarea {...textarea} {...control} name={name} />}
    </FieldFrame>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'name'> {
  name: string;
  label: ReactNode;
  description?: ReactNode;
  options: { value: string; label: string; lang?: string }[];
}

export function SelectField({ name, label, description, options, ...select }: SelectFieldProps) {
  return (
    <FieldFrame name={name} label={label} description={description}>
      {({ invalid, ...control }) => (
        <select
          {...select}
          {...control}
          name={name}
          aria-invalid={invalid || undefined}
          className={`utrecht-select utrecht-select--html-select${invalid ? ' utrecht-select--invalid' : ''}`}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value} lang={o.lang}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

interface FileFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'type'> {
  name: string;
  label: ReactNode;
  description?: ReactNode;
}

/** A file to upload, such as a spreadsheet saved as CSV. */
export function FileField({ name, label, description, ...input }: FileFieldProps) {
  return (
    <FieldFrame name={name} label={label} description={description}>
      {({ invalid, ...control }) => <input {...input} {...control} type="file" name={name} aria-invalid={invalid || undefined} className="quire-file-input" />}
    </FieldFrame>
  );
}

/** Nederlands / English, each named in its own language. */
export function LocaleField({ name, label, defaultValue }: { name: string; label: ReactNode; defaultValue: string }) {
  const { t } = useTranslation();
  return (
    <SelectField
      name={name}
      label={label}
      defaultValue={defaultValue}
      options={LOCALES.map((locale) => ({ value: locale, label: t(`languages.${locale}`), lang: locale }))}
    />
  );
}

function CheckboxOption({ name, value, label, defaultChecked, invalid, describedBy: ariaDescribedBy }: {
  name: string;
  value?: string;
  label: ReactNode;
  defaultChecked?: boolean;
  invalid: boolean;
  describedBy?: string;
}) {
  const id = useId();
  return (
    <div className="utrecht-form-field utrecht-form-field--checkbox">
      <div className="utrecht-form-field__label utrecht-form-field__label--checkbox">
        <label className="utrecht-form-label utrecht-form-label--checkbox" htmlFor={id}>
          <Checkbox
            id={id}
            name={name}
            value={value}
            defaultChecked={defaultChecked}
            invalid={invalid}
            aria-describedby={ariaDescribedBy}
            className="utrecht-form-field__input"
          />
          {label}
        </label>
      </div>
    </div>
  );
}

/** One yes/no choice. */
export function CheckboxField({ name, label, defaultChecked }: { name: string; label: ReactNode; defaultChecked?: boolean }) {
  const errorId = useId();
  const invalid = !!useFieldProblem(name);
  return (
    <>
      <FieldError id={errorId} name={name} />
      <CheckboxOption name={name} label={label} defaultChecked={defaultChecked} invalid={invalid} describedBy={invalid ? errorId : undefined} />
    </>
  );
}

/** Several choices under one name; the form data holds every checked value. */
export function CheckboxGroupField({ name, legend, options, defaultValues = [] }: {
  name: string;
  legend: ReactNode;
  options: { value: string; label: ReactNode }[];
  defaultValues?: string[];
}) {
  const errorId = useId();
  const invalid = !!useFieldProblem(name);
  return (
    <Fieldset legend={legend} invalid={invalid} aria-describedby={invalid ? errorId : undefined}>
      <FieldError id={errorId} name={name} />
      {options.map((o) => (
        <CheckboxOption key={o.value} name={name} value={o.value} label={o.label} defaultChecked={defaultValues.includes(o.value)} invalid={invalid} />
      ))}
    </Fieldset>
  );
}
