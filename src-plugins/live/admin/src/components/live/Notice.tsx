import { useState } from 'react';
import { Alert, type AlertProps } from '@strapi/design-system';

/**
 * The design system's Alert always draws a close button; this one hides itself when it's used
 * (so the button is never dead). Pass `onClose` to do more.
 */
export const Notice = ({ onClose, closeLabel = 'Dismiss', ...props }: Omit<AlertProps, 'closeLabel'> & { closeLabel?: string }) => {
  const [open, setOpen] = useState(true);
  if (!open) return null;
  return (
    <Alert
      {...props}
      closeLabel={closeLabel}
      onClose={() => {
        setOpen(false);
        onClose?.();
      }}
    />
  );
};
