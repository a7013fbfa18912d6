import { z } from 'zod';

/** Strapi 5's documentId: 24 lowercase letters and digits today; a little slack either way. */
export const DOCUMENT_ID_PATTERN = /^[a-z0-9]{10,40}$/;

/** A documentId from outside (path or body), with the message naming what it should identify. */
export const documentId = (what = 'a document id') => z.string().trim().regex(DOCUMENT_ID_PATTERN, `must be ${what}`);

/** An ISO 8601 date-time with a time zone (Z or ±hh:mm), as the API's clients send them. */
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-01T10:00:00Z' });

/** `?course=<id>` or `?course=<id>,<id>,…` (the dashboard asks about every course of the student at once). */
export const courseIdList = () =>
  z
    .string()
    .trim()
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(documentId('a course id')).min(1, 'name at least one course').max(50, 'at most 50 courses'));
