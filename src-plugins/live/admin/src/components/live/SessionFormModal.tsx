import { useEffect, useState, type FormEvent } from 'react';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import {
  Alert,
  Box,
  Button,
  DateTimePicker,
  Field,
  Flex,
  Grid,
  Loader,
  Modal,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Textarea,
  Toggle,
  Typography,
} from '@strapi/design-system';
import { createSessionBody, updateSessionBody } from '../../../../server/src/sessions/contracts';
import {
  createSession,
  errorMessage,
  getSessionOptions,
  toLiveApiError,
  updateSession,
  type SessionDto,
  type SessionOptionsResponse,
  type UpdateSessionBody,
} from '../../api/live';

type Fields = 'courseId' | 'title' | 'description' | 'scheduledAt' | 'recording' | 'instructorId';
type FieldErrors = Partial<Record<Fields | 'form', string>>;

type SessionFormModalProps = {
  open: boolean;
  /** Edit this session; without it the modal creates one. */
  session?: SessionDto | null;
  onClose: () => void;
  onSaved: (session: SessionDto) => void;
};

/** The next full half hour, at least 15 minutes from now: a sensible default start time. */
function defaultStart() {
  const date = new Date(Date.now() + 15 * 60_000);
  date.setSeconds(0, 0);
  date.setMinutes(date.getMinutes() <= 30 ? 30 : 60);
  return date;
}

/** zod issues → the first message per field. */
function issuesToErrors(issues: { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = (issue.path[0] as Fields | undefined) ?? 'form';
    if (!errors[field]) errors[field] = issue.message;
  }
  return errors;
}

const KNOWN_FIELDS: Fields[] = ['courseId', 'title', 'description', 'scheduledAt', 'recording', 'instructorId'];

/**
 * Schedule a class, or change one that hasn't started. Validates with the server's own zod
 * schema before sending, and shows the server's 400 field errors next to their fields.
 * Course and instructor are fixed once the session exists (the API doesn't change them).
 */
export const SessionFormModal = ({ open, session, onClose, onSaved }: SessionFormModalProps) => {
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const editing = Boolean(session);

  const [options, setOptions] = useState<SessionOptionsResponse | null>(null);
  const [optionsError, setOptionsError] = useState<string | null>(null);
  const [courseId, setCourseId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [scheduledAt, setScheduledAt] = useState<Date | null>(null);
  const [recording, setRecording] = useState(true);
  const [instructorId, setInstructorId] = useState<string>('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  // Reset the form whenever it opens.
  useEffect(() => {
    if (!open) return;
    setCourseId(session?.course?.documentId ?? '');
    setTitle(session?.title ?? '');
    setDescription(session?.description ?? '');
    setScheduledAt(session ? new Date(session.scheduledAt) : defaultStart());
    setRecording(session?.recording ?? true);
    setInstructorId(session?.instructor ? String(session.instructor.id) : '');
    setErrors({});
  }, [open, session]);

  useEffect(() => {
    if (!open || editing || options) return;
    let current = true;
    setOptionsError(null);
    getSessionOptions(client)
      .then((data) => {
        if (!current) return;
        setOptions(data);
        if (data.courses.length === 1) setCourseId((value) => value || data.courses[0].documentId);
      })
      .catch((error) => current && setOptionsError(errorMessage(error)));
    return () => {
      current = false;
    };
  }, [open, editing, options, client]);

  const clearError = (field: Fields) => setErrors((all) => (all[field] || all.form ? { ...all, [field]: undefined, form: undefined } : all));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;

    let errorsFound: FieldErrors = {};
    let request: () => Promise<SessionDto>;

    if (!scheduledAt) errorsFound.scheduledAt = 'Pick a date and time';
    else if (!editing && scheduledAt.getTime() < Date.now() - 60_000) errorsFound.scheduledAt = 'Pick a time in the future';

    if (editing && session) {
      const changes: UpdateSessionBody = {};
      if (title.trim() !== session.title) changes.title = title;
      const nextDescription = description.trim() ? description : null;
      if ((nextDescription ?? null) !== (session.description ?? null)) changes.description = nextDescription;
      if (scheduledAt && scheduledAt.getTime() !== new Date(session.scheduledAt).getTime()) changes.scheduledAt = scheduledAt.toISOString();
      if (recording !== session.recording) changes.recording = recording;
      if (Object.keys(changes).length === 0 && Object.keys(errorsFound).length === 0) {
        onClose();
        return;
      }
      const parsed = updateSessionBody.safeParse(changes);
      if (!parsed.success) errorsFound = { ...issuesToErrors(parsed.error.issues), ...errorsFound };
      request = () => updateSession(client, session.id, parsed.success ? parsed.data : changes);
    } else {
      const body = {
        courseId,
        title,
        description: description.trim() ? description : undefined,
        scheduledAt: scheduledAt?.toISOString() ?? '',
        recording,
        instructorId: instructorId ? Number(instructorId) : undefined,
      };
      const parsed = createSessionBody.safeParse(body);
      if (!parsed.success) errorsFound = { ...issuesToErrors(parsed.error.issues), ...errorsFound };
      if (!courseId) errorsFound.courseId = 'Choose the course this class belongs to';
      request = () => createSession(client, parsed.success ? parsed.data : (body as any));
    }

    if (Object.values(errorsFound).some(Boolean)) {
      setErrors(errorsFound);
      return;
    }

    setSaving(true);
    setErrors({});
    try {
      const saved = await request();
      toggleNotification({
        type: 'success',
        message: editing ? 'Class updated.' : `"${saved.title}" is scheduled. Set up OBS from its page before the class.`,
      });
      onSaved(saved);
    } catch (error) {
      const apiError = toLiveApiError(error);
      const fieldErrors: FieldErrors = {};
      for (const [path, message] of Object.entries(apiError.fieldErrors)) {
        if ((KNOWN_FIELDS as string[]).includes(path)) fieldErrors[path as Fields] = message;
        else fieldErrors.form = fieldErrors.form ? `${fieldErrors.form} ${message}` : `${path}: ${message}`;
      }
      if (!Object.keys(fieldErrors).length || apiError.status !== 400) fieldErrors.form = apiError.message;
      setErrors(fieldErrors);
      if (apiError.status !== 400) toggleNotification({ type: 'danger', message: apiError.message });
    } finally {
      setSaving(false);
    }
  };

  const instructors = options?.instructors ?? [];
  const showInstructor = !editing && instructors.length > 0;

  return (
    <Modal.Root open={open} onOpenChange={(next: boolean) => !next && !saving && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} noValidate>
          <Modal.Header closeLabel="Close">
            <Modal.Title>{editing ? 'Edit class' : 'Schedule a live class'}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            {!editing && !options && !optionsError ? (
              <Flex justifyContent="center" padding={6}>
                <Loader small>Loading your courses</Loader>
              </Flex>
            ) : (
              <Flex direction="column" alignItems="stretch" gap={5}>
                {optionsError && (
                  <Alert variant="danger" title="Couldn't load your courses" closeLabel="Retry" onClose={() => setOptions(null)}>
                    {optionsError}
                  </Alert>
                )}
                {errors.form && (
                  <Alert variant="danger" title="The class wasn't saved" closeLabel="Dismiss" onClose={() => setErrors((all) => ({ ...all, form: undefined }))}>
                    {errors.form}
                  </Alert>
                )}

                <Grid.Root gap={5}>
                  <Grid.Item col={showInstructor ? 6 : 12} s={12} direction="column" alignItems="stretch">
                    <Field.Root name="courseId" error={errors.courseId} required={!editing} hint={editing ? "A class can't move to another course." : undefined}>
                      <Field.Label>Course</Field.Label>
                      {editing ? (
                        <TextInput value={session?.course?.title ?? '—'} disabled />
                      ) : (
                        <SingleSelect
                          placeholder={options?.courses.length ? 'Choose a course' : 'No courses available'}
                          value={courseId || undefined}
                          onChange={(value: string | number) => {
                            setCourseId(String(value));
                            clearError('courseId');
                          }}
                          disabled={!options?.courses.length}
                        >
                          {(options?.courses ?? []).map((course) => (
                            <SingleSelectOption key={course.documentId} value={course.documentId}>
                              {course.title}
                            </SingleSelectOption>
                          ))}
                        </SingleSelect>
                      )}
                      <Field.Hint />
                      <Field.Error />
                    </Field.Root>
                    {!editing && options && options.courses.length === 0 && (
                      <Box paddingTop={1}>
                        <Typography variant="pi" textColor="neutral600">
                          You aren't an instructor of any course yet. Ask an administrator to add you to a course.
                        </Typography>
                      </Box>
                    )}
                  </Grid.Item>
                  {showInstructor && (
                    <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                      <Field.Root name="instructorId" error={errors.instructorId} hint="Who teaches it. Leave empty to teach it yourself.">
                        <Field.Label>Instructor</Field.Label>
                        <SingleSelect
                          placeholder="Myself"
                          value={instructorId || undefined}
                          onChange={(value: string | number) => {
                            setInstructorId(String(value));
                            clearError('instructorId');
                          }}
                          onClear={() => setInstructorId('')}
                        >
                          {instructors.map((instructor) => (
                            <SingleSelectOption key={instructor.id} value={String(instructor.id)}>
                              {instructor.name}
                            </SingleSelectOption>
                          ))}
                        </SingleSelect>
                        <Field.Hint />
                        <Field.Error />
                      </Field.Root>
                    </Grid.Item>
                  )}
                </Grid.Root>

                <Field.Root name="title" error={errors.title} required hint="Students see this on the course page, e.g. “Week 3: React hooks, live Q&A”.">
                  <Field.Label>Title</Field.Label>
                  <TextInput
                    value={title}
                    maxLength={160}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
                      setTitle(event.target.value);
                      clearError('title');
                    }}
                  />
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>

                <Field.Root name="description" error={errors.description} hint="Optional: what you'll cover and what to prepare.">
                  <Field.Label>Description</Field.Label>
                  <Textarea
                    value={description}
                    maxLength={2000}
                    onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => {
                      setDescription(event.target.value);
                      clearError('description');
                    }}
                  />
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>

                <Field.Root
                  name="scheduledAt"
                  error={errors.scheduledAt}
                  required
                  hint={`Your local time (${Intl.DateTimeFormat().resolvedOptions().timeZone}). You can go live earlier or later.`}
                >
                  <Field.Label>Starts at</Field.Label>
                  <DateTimePicker
                    value={scheduledAt}
                    onChange={(date?: Date) => {
                      setScheduledAt(date ?? null);
                      clearError('scheduledAt');
                    }}
                    onClear={() => setScheduledAt(null)}
                    clearLabel="Clear the date"
                    dateLabel="Date"
                    timeLabel="Time"
                    step={15}
                    minDate={editing ? undefined : new Date(new Date().setHours(0, 0, 0, 0))}
                  />
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>

                <Field.Root name="recording" error={errors.recording} hint="The class is recorded (the built-in server records it itself; on Amazon IVS the channel's recording configuration records to S3). Recordings can be published as lessons.">
                  <Field.Label>Record the class</Field.Label>
                  <Toggle
                    checked={recording}
                    onLabel="On"
                    offLabel="Off"
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
                      setRecording(event.target.checked);
                      clearError('recording');
                    }}
                  />
                  <Field.Hint />
                  <Field.Error />
                </Field.Root>
              </Flex>
            )}
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" disabled={saving}>
                Cancel
              </Button>
            </Modal.Close>
            <Button type="submit" loading={saving} disabled={!editing && !options}>
              {editing ? 'Save changes' : 'Schedule class'}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
