import { Status, Typography } from '@strapi/design-system';
import type { ItemState } from '../../api/outline';

const LOOK: Record<ItemState, { label: string; variant: 'secondary' | 'success' | 'alternative'; hint: string }> = {
  draft: { label: 'Draft', variant: 'secondary', hint: 'Never published: students don’t see it' },
  published: { label: 'Published', variant: 'success', hint: 'Students see it as it is here' },
  modified: { label: 'Modified', variant: 'alternative', hint: 'Published, with changes students don’t see until it is published again' },
};

/** Draft / Published / Modified, in the content manager's colours, so both screens read alike. */
export const StateBadge = ({ state }: { state: ItemState }) => {
  const look = LOOK[state];
  return (
    <Status variant={look.variant} size="S" title={look.hint} data-item-state={state}>
      <Typography tag="span" variant="omega" fontWeight="bold">
        {look.label}
      </Typography>
    </Status>
  );
};
