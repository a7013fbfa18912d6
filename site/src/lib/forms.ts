/** Server-side form handling shared by the account pages. */
import { ApiError } from './api';
import { sentence, type FieldErrors } from './validation';

/** The text fields of a urlencoded or multipart POST (files and repeated keys are ignored). */
export async function readForm(request: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    const data = await request.formData();
    for (const [key, value] of data) if (typeof value === 'string' && !(key in out)) out[key] = value.slice(0, 2000);
  } catch {
    /* not a form body: every field is simply missing */
  }
  return out;
}

export type FormFeedback = { errors: FieldErrors; formError?: string };

/**
 * Turns an API failure into what the form shows: Strapi's field errors (`details.errors[].path`)
 * next to the fields this form has, anything else as one message above the form.
 */
export function feedbackFrom(error: unknown, fields: string[]): FormFeedback {
  if (!(error instanceof ApiError)) throw error;
  if (error.unavailable) {
    return { errors: {}, formError: 'We could not reach Skillyug just now. Please try again in a moment.' };
  }
  const errors: FieldErrors = {};
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    if (fields.includes(field)) errors[field] = sentence(message);
  }
  const shown = Object.keys(errors).length > 0;
  return { errors, formError: shown && error.status === 400 ? undefined : sentence(error.message) };
}
