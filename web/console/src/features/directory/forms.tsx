import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Bilingual, FieldErrors } from './validation';
import { pick, type Lang } from '../../../../shared/i18n';
import { Field } from '../../../../shared/ui';

/**
 * The GOV.UK error summary: a titled box at the top of the form listing every problem as a link to
 * its field. It takes focus when it appears, so a screen reader reads the problems first.
 */
export function ErrorSummary({ title, errors, labels, formId, lang, general }: {
  title: string;
  errors: FieldErrors;
  /** Each field's label, in the order the form shows them. */
  labels: [string, string][];
  formId: string;
  lang: Lang;
  /** A problem of the whole form (a refused change), shown first. */
  general?: Bilingual[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const listed = labels.filter(([field]) => errors[field]);
  const shown = listed.length > 0 || (general?.length ?? 0) > 0;
  useEffect(() => {
    if (shown) box.current?.focus();
  }, [errors, general]);
  if (!shown) return null;
  return (
    <div ref={box} class="error-summary" role="alert" tabIndex={-1} aria-labelledby={`${formId}-summary-title`}>
      <h3 id={`${formId}-summary-title`} class="error-summary__title">
        {title}
      </h3>
      <ul>
        {general?.map((problem, index) => <li key={`general-${index}`}>{pick(problem, lang)}</li>)}
        {listed.map(([field, label]) => (
          <li key={field}>
            <a
              href={`#${formId}-${field}`}
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(`${formId}-${field}`)?.focus();
              }}
            >
              {label}: {pick(errors[field], lang)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A labelled control with its hint and error, whose id the error summary links to. */
export function FormField({ formId, field, label, hint, error, lang, children }: {
  formId: string;
  field: string;
  label: string;
  hint?: string;
  error?: Bilingual | undefined;
  lang: Lang;
  children: (control: { id: string; name: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ComponentChildren;
}) {
  return (
    <Field id={`${formId}-${field}`} label={label} hint={hint} error={error ? pick(error, lang) : null}>
      {(control) => children({ ...control, name: field })}
    </Field>
  );
}
