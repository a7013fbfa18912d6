import { useEffect, useId, useState, type FormEvent } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { Alert, Box, Button, Checkbox, Field, Flex, Modal, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { publishRecordingBody } from '../../../../server/src/recordings/contracts';
import { publishRecording, toLiveApiError, type PanelRecordingDto, type PublishRecordingResponse } from '../../api/live';

type Fields = 'moduleId' | 'title' | 'isPreview';
type FieldErrors = Partial<Record<Fields | 'form', string>>;
const KNOWN_FIELDS: Fields[] = ['moduleId', 'title', 'isPreview'];

type RecordingPublishDialogProps = {
  open: boolean;
  recording: PanelRecordingDto;
  onClose: () => void;
  onDone: (result: PublishRecordingResponse, moduleTitle: string) => void;
};

/**
 * "Publish as a lesson": the module of the course it goes into, the lesson's title (the class's by
 * default) and whether it's a free preview. Validated with the server's own schema before sending;
 * the server's field errors show next to their fields. Before the recording is ready it is
 * remembered and published when processing finishes.
 */
export const RecordingPublishDialog = ({ open, recording, onClose, onDone }: RecordingPublishDialogProps) => {
  const client = useFetchClient();
  const [moduleId, setModuleId] = useState('');
  const [title, setTitle] = useState('');
  const [isPreview, setIsPreview] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const previewHintId = `${useId().replace(/:/g, '')}-preview-hint`;
  const ready = recording.status === 'ready';
  const modules = recording.modules;

  // Fresh each time it opens: the module asked for before (if any), else the only one.
  useEffect(() => {
    if (!open) return;
    setModuleId(recording.autoPublish?.moduleId ?? (modules.length === 1 ? modules[0].id : ''));
    setTitle(recording.title);
    setIsPreview(false);
    setErrors({});
    // Only on opening: a poll refreshing `recording` must not reset what the mentor is typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const body = { moduleId, title: title.trim(), isPreview };
    const parsed = publishRecordingBody.safeParse(body);
    if (!moduleId || !parsed.success) {
      const found: FieldErrors = {};
      if (!moduleId) found.moduleId = 'Choose the module the lesson goes into';
      for (const issue of parsed.success ? [] : parsed.error.issues) {
        const field = issue.path[0] as Fields | undefined;
        const key = field && KNOWN_FIELDS.includes(field) ? field : 'form';
        if (!found[key]) found[key] = issue.message;
      }
      setErrors(found);
      return;
    }
    setSaving(true);
    setErrors({});
    try {
      const result = await publishRecording(client, recording.id, parsed.data);
      onDone(result, modules.find((module) => module.id === moduleId)?.title ?? 'the module');
    } catch (error) {
      const apiError = toLiveApiError(error);
      const found: FieldErrors = {};
      for (const [field, message] of Object.entries(apiError.fieldErrors)) {
        if ((KNOWN_FIELDS as string[]).includes(field)) found[field as Fields] = message;
      }
      if (!Object.keys(found).length || apiError.status !== 400) found.form = apiError.message;
      setErrors(found);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal.Root open={open} onOpenChange={(next: boolean) => !next && !saving && onClose()}>
      <Modal.Content>
        <form onSubmit={submit} noValidate>
          <Modal.Header closeLabel="Close">
            <Modal.Title>{ready ? 'Publish as a lesson' : 'Publish as a lesson when ready'}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" alignItems="stretch" gap={5}>
              {errors.form && (
                <Alert variant="danger" title="The lesson wasn't created" closeLabel="Dismiss" onClose={() => setErrors((all) => ({ ...all, form: undefined }))}>
                  {errors.form}
                </Alert>
              )}
              <Typography textColor="neutral700">
                {ready
                  ? 'A lesson that plays this recording, with its length and a "recorded live on …" note, is added to the module and published.'
                  : 'The recording is still being processed. The lesson is created as soon as it is ready.'}
              </Typography>

              <Field.Root
                name="moduleId"
                error={errors.moduleId}
                required
                hint={modules.length ? 'The lesson is added at the end of the module.' : undefined}
              >
                <Field.Label>Module</Field.Label>
                <SingleSelect
                  placeholder={modules.length ? 'Choose a module' : 'This course has no modules'}
                  value={moduleId || undefined}
                  onChange={(value: string | number) => {
                    setModuleId(String(value));
                    setErrors((all) => ({ ...all, moduleId: undefined }));
                  }}
                  disabled={!modules.length}
                >
                  {modules.map((module) => (
                    <SingleSelectOption key={module.id} value={module.id}>
                      {module.title}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Field.Hint />
                <Field.Error />
              </Field.Root>
              {!modules.length && (
                <Box marginTop={-3}>
                  <Typography variant="pi" textColor="neutral600">
                    Add a module to the course in the content manager first, then publish the recording into it.
                  </Typography>
                </Box>
              )}

              <Field.Root name="title" error={errors.title} required hint="Students see this in the course's lessons.">
                <Field.Label>Lesson title</Field.Label>
                <TextInput
                  value={title}
                  maxLength={160}
                  onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
                    setTitle(event.target.value);
                    setErrors((all) => ({ ...all, title: undefined }));
                  }}
                />
                <Field.Hint />
                <Field.Error />
              </Field.Root>

              <Box>
                <Checkbox
                  name="isPreview"
                  checked={isPreview}
                  aria-describedby={previewHintId}
                  onCheckedChange={(checked: boolean | 'indeterminate') => setIsPreview(checked === true)}
                >
                  Free preview
                </Checkbox>
                <Box paddingTop={1} paddingLeft={6}>
                  <Typography variant="pi" textColor={errors.isPreview ? 'danger600' : 'neutral600'} id={previewHintId}>
                    {errors.isPreview ?? 'Anyone can watch a free preview, enrolled or not. Otherwise only enrolled students can.'}
                  </Typography>
                </Box>
              </Box>
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary" disabled={saving}>
                Cancel
              </Button>
            </Modal.Close>
            <Button type="submit" loading={saving} disabled={!modules.length}>
              {ready ? 'Publish lesson' : 'Publish when ready'}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};
