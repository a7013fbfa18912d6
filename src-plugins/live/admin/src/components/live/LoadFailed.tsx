import { Button } from '@strapi/design-system';
import { Notice } from './Notice';

/** A card's data didn't load: what failed, the server's message, and a retry. */
export const LoadFailed = ({ title, error, onRetry }: { title: string; error: string; onRetry: () => void }) => (
  <Notice
    variant="danger"
    title={title}
    action={
      <Button variant="tertiary" size="S" onClick={onRetry}>
        Try again
      </Button>
    }
  >
    {error}
  </Notice>
);
