import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Box, Button, Field, Flex, TextInput, VisuallyHidden } from '@strapi/design-system';
import { OUTLINE_TITLE_MAX as TITLE_MAX } from '../../../../server/src/authoring/contracts';

type TitleFormProps = {
  label: string;
  /** Visually hidden label (renaming in place, where the row already says what it is). */
  hideLabel?: boolean;
  initial?: string;
  placeholder?: string;
  submitLabel: string;
  /** Saves; resolves to the message to show under the field when it didn't work, else null. */
  onSubmit: (title: string) => Promise<string | null>;
  onCancel?: () => void;
  autoFocus?: boolean;
  /** Kept empty again after a successful submit (adding several items in a row). */
  resetOnSuccess?: boolean;
};

/**
 * One title, typed in place: Enter saves, Escape cancels. Used to add and to rename modules and
 * lessons. The server's message (or "Give it a title") shows under the field.
 */
export const TitleForm = ({ label, hideLabel, initial = '', placeholder, submitLabel, onSubmit, onCancel, autoFocus, resetOnSuccess }: TitleFormProps) => {
  const [title, setTitle] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const name = `title-${useId().replace(/:/g, '')}`;

  useEffect(() => {
    if (!autoFocus) return;
    input.current?.focus();
    input.current?.select();
  }, [autoFocus]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (saving) return;
    const trimmed = title.trim();
    if (!trimmed) return setError('Give it a title.');
    if (trimmed.length > TITLE_MAX) return setError(`At most ${TITLE_MAX} characters.`);
    setSaving(true);
    const failed = await onSubmit(trimmed);
    setSaving(false);
    setError(failed);
    if (!failed && resetOnSuccess) {
      setTitle('');
      input.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };

  const labelText = <Field.Label>{label}</Field.Label>;
  return (
    <Box tag="form" onSubmit={submit} onKeyDown={onKeyDown} noValidate width="100%">
      <Field.Root name={name} error={error ?? undefined}>
        {hideLabel ? <VisuallyHidden>{labelText}</VisuallyHidden> : labelText}
        <Flex gap={2} alignItems="center">
          <Box flex="1">
            <TextInput
              ref={input}
              value={title}
              placeholder={placeholder}
              maxLength={TITLE_MAX}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
                setTitle(event.target.value);
                setError(null);
              }}
            />
          </Box>
          <Button type="submit" loading={saving}>
            {submitLabel}
          </Button>
          {onCancel && (
            <Button type="button" variant="tertiary" onClick={onCancel} disabled={saving}>
              Cancel
            </Button>
          )}
        </Flex>
        <Field.Error />
      </Field.Root>
    </Box>
  );
};
