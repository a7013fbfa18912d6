/**
 * The account forms (sign in, sign up, verify, forgot, reset). Server-rendered as a plain POST
 * form that works without JavaScript — the page validates with the same zod schema and shows
 * the API's field errors — and, once hydrated, validates in the browser first: errors appear
 * next to their fields, focus moves to the first one, and the button shows the form is sending.
 */
import { useRef, useState, type FormEvent } from 'react';
import { validateForm, type FieldErrors, type FormName } from '../lib/validation';

export type FieldSpec = {
  name: string;
  label: string;
  type: 'email' | 'password' | 'text';
  autoComplete?: string;
  inputMode?: 'numeric' | 'email' | 'text';
  hint?: string;
  value?: string;
  maxLength?: number;
};

type Props = {
  form: FormName;
  action?: string;
  fields: FieldSpec[];
  errors?: FieldErrors;
  formError?: string;
  submitLabel: string;
  busyLabel: string;
  hidden?: Record<string, string>;
};

const fieldValues = (element: HTMLFormElement) => {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(element)) if (typeof value === 'string') values[key] = value;
  return values;
};

export default function AuthForm({ form, action, fields, errors: serverErrors = {}, formError, submitLabel, busyLabel, hidden = {} }: Props) {
  const [errors, setErrors] = useState<FieldErrors>(serverErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // One form of a kind per page, so form + field name is a unique, SSR-stable id.
  const idOf = (name: string) => `${form}-${name}`;
  const firstError = fields.find((field) => serverErrors[field.name])?.name;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const result = validateForm(form, fieldValues(event.currentTarget));
    if (result.ok) {
      setErrors({});
      setBusy(true); // the native POST goes ahead; the page handles it
      return;
    }
    event.preventDefault();
    setErrors(result.errors);
    const first = fields.find((field) => result.errors[field.name]);
    if (first) (event.currentTarget.elements.namedItem(first.name) as HTMLElement | null)?.focus();
  }

  // Once a field has shown an error, re-check it as the student types, so a fixed field clears.
  // (Not on blur: clearing an error as focus moves to the button would shift the button away
  // from under the pointer mid-click.)
  function onInput(event: FormEvent<HTMLInputElement>) {
    const name = event.currentTarget.name;
    if (!errors[name] || !formRef.current) return;
    const result = validateForm(form, fieldValues(formRef.current));
    const message = result.ok ? undefined : result.errors[name];
    setErrors((current) => {
      const next = { ...current };
      if (message) next[name] = message;
      else delete next[name];
      return next;
    });
  }

  const errorId = `${form}-form-error`;
  return (
    <form ref={formRef} method="post" action={action} noValidate onSubmit={onSubmit} className="space-y-5" aria-describedby={formError ? errorId : undefined} data-form={form}>
      {formError && (
        <div id={errorId} role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-red-900" data-testid="form-error">
          {formError}
        </div>
      )}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => {
        const inputId = idOf(field.name);
        const error = errors[field.name];
        const describedBy = [field.hint ? `${inputId}-hint` : '', error ? `${inputId}-error` : ''].filter(Boolean).join(' ') || undefined;
        return (
          <div key={field.name}>
            <label htmlFor={inputId} className="mb-1 block text-sm font-medium text-slate-900">
              {field.label}
            </label>
            <input
              id={inputId}
              name={field.name}
              type={field.type}
              defaultValue={field.type === 'password' ? undefined : field.value}
              autoComplete={field.autoComplete}
              inputMode={field.inputMode}
              maxLength={field.maxLength}
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
              autoFocus={field.name === firstError}
              onInput={onInput}
              className="field"
            />
            {field.hint && (
              <p id={`${inputId}-hint`} className="mt-1 text-sm text-slate-700">
                {field.hint}
              </p>
            )}
            {error && (
              <p id={`${inputId}-error`} className="mt-1 text-sm font-medium text-red-800" data-field-error={field.name}>
                {error}
              </p>
            )}
          </div>
        );
      })}
      <button type="submit" className="btn-primary w-full" disabled={busy} aria-busy={busy || undefined}>
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
