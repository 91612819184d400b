import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  /** The control's id, when something else links to it (an error summary); unique by default. */
  id?: string;
  /** Shown under the input and tied to it with aria-describedby; marks it aria-invalid. */
  error?: string | null;
  hint?: string;
  /** Renders the control, given the ids and ARIA it must carry. */
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ComponentChildren;
}

/** One labelled form control with its hint and error: the label is always visible. */
export function Field({ label, id: givenId, error, hint, children }: FieldProps) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field field--error' : 'field'}>
      <label for={id} class="field__label">
        {label}
      </label>
      {hint && (
        <p id={hintId} class="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} class="field__error">
          {error}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
    </div>
  );
}

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | null; hint?: string };

/** The common case: a text-like input in a Field. */
export function TextField({ label, error, hint, ...input }: InputProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(control) => <input class="input" {...input} {...control} />}
    </Field>
  );
}

type AreaProps = JSX.TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; error?: string | null; hint?: string };

export function TextAreaField({ label, error, hint, ...area }: AreaProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(control) => <textarea class="input input--area" {...area} {...control} />}
    </Field>
  );
}
