import { Box } from '@strapi/design-system';
import { Drag } from '@strapi/icons';
import { styled } from 'styled-components';

/** The line showing where a dragged module or lesson would land. */
export const DropLine = styled.div`
  height: 0.3rem;
  margin: 0.2rem 0;
  border-radius: 0.2rem;
  background: ${({ theme }) => theme.colors.primary600};
`;

/** The grip a mouse drags by (keyboard users have the Move up / Move down buttons instead). */
export const DragGrip = () => (
  <Box color="neutral600" style={{ cursor: 'grab', display: 'flex' }} aria-hidden data-drag-handle>
    <Drag />
  </Box>
);

/** Names a Move up / Move down button, so focus can follow the item it moved. */
export const moveKey = (documentId: string, direction: 'up' | 'down') => `${documentId}:${direction}`;

/**
 * After a move from the keyboard, focus goes back to the moved item's button (React may have
 * re-created or moved its row, which drops focus), or to its other arrow once it can't go further.
 */
export function refocusMoveButton(documentId: string, direction: 'up' | 'down') {
  requestAnimationFrame(() => {
    const button = (dir: 'up' | 'down') => document.querySelector<HTMLButtonElement>(`[data-move="${moveKey(documentId, dir)}"]`);
    const same = button(direction);
    const target = same && !same.disabled ? same : button(direction === 'up' ? 'down' : 'up');
    if (target && document.activeElement !== target) target.focus();
  });
}
