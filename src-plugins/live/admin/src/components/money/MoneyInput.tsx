import { forwardRef, useEffect, useState, type ReactNode } from 'react';
import { Field, TextInput } from '@strapi/design-system';
import { useForm } from '@strapi/strapi/admin';
import { coursePriceProblem, formatRupees, paiseToRupeesText, parseRupees } from '../../../../server/src/utils/money';

/** What the content manager hands a custom field's input (Strapi 5 InputRenderer: the props plus useField's). */
type MoneyInputProps = {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  labelAction?: ReactNode;
  value?: number | null;
  error?: string;
  onChange: (name: string, value: unknown) => void;
};

/**
 * The `money` custom field's input: the editor types rupees ("499", "499.50", "₹1,299"), the
 * form holds integer paise. Below it, the amount as students will see it — and, on a form with an
 * "isFree" switch (the course), the price rule the server enforces, before saving.
 */
export const MoneyInput = forwardRef<HTMLInputElement, MoneyInputProps>(
  ({ name, label, hint, required, disabled, labelAction, value, error, onChange }, ref) => {
    const [text, setText] = useState(() => paiseToRupeesText(value));
    const [typingError, setTypingError] = useState<string | null>(null);
    const isFree = useForm('MoneyInput', (state) => (state.values as Record<string, unknown>).isFree);

    // The stored value changed from outside (loaded, discarded, another locale): show it.
    useEffect(() => {
      const parsed = parseRupees(text);
      if (!(parsed.ok && parsed.paise === value) && !(text === '' && value == null)) {
        setText(paiseToRupeesText(value));
        setTypingError(null);
      }
      // Only when the form's value changes; `text` follows the editor's typing.
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [value]);

    const change = (next: string) => {
      setText(next);
      if (next.trim() === '') {
        setTypingError(null);
        onChange(name, null);
        return;
      }
      const parsed = parseRupees(next);
      if (parsed.ok) {
        setTypingError(null);
        onChange(name, parsed.paise);
      } else {
        setTypingError(parsed.message);
        // Never leave the previous amount in the form while the box shows something else.
        onChange(name, null);
      }
    };

    const rule = typeof isFree === 'boolean' && typeof value === 'number' ? coursePriceProblem({ isFree, price: value }) : null;
    const reading = typeof value === 'number' ? `${formatRupees(value)} — students see this price.` : 'In rupees; paise optional, e.g. 499 or 499.50.';
    const shownError = typingError ?? error ?? rule ?? undefined;

    return (
      <Field.Root name={name} id={name} error={shownError} hint={hint ? <>{reading} {hint}</> : reading} required={required}>
        <Field.Label action={labelAction}>{label}</Field.Label>
        <TextInput
          ref={ref}
          inputMode="decimal"
          autoComplete="off"
          startAction={<span aria-hidden>₹</span>}
          placeholder="e.g. 499"
          value={text}
          disabled={disabled}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => change(event.target.value)}
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
    );
  }
);
MoneyInput.displayName = 'MoneyInput';

export default MoneyInput;
