import type { DragEvent } from 'react';

/**
 * Dragging inside the outline (native HTML5 drag and drop). What is being dragged lives in the
 * page's state, not in the DataTransfer: browsers hide a drag's data until the drop, and the page
 * needs it on every dragover to draw where the item would land.
 */
export type Dragging = { kind: 'module' | 'lesson'; id: string; title: string };

/** Where the dragged item would land: before an item, or at the end (beforeId null). */
export type DropSpot = { kind: 'module'; beforeId: string | null } | { kind: 'lesson'; moduleId: string; beforeId: string | null };

/** Is the pointer over the lower half of the element handling the event (drop after it, not before)? */
export function overLowerHalf(event: DragEvent<HTMLElement>) {
  const box = event.currentTarget.getBoundingClientRect();
  return event.clientY > box.top + box.height / 2;
}

/** Starts a move drag; Firefox only starts one when some data is set. */
export function startMoveDrag(event: DragEvent<HTMLElement>, title: string) {
  event.dataTransfer.effectAllowed = 'move';
  event.dataTransfer.setData('text/plain', title);
}

export const sameSpot = (a: DropSpot | null, b: DropSpot | null) =>
  a === b || (!!a && !!b && a.kind === b.kind && a.beforeId === b.beforeId && (a.kind === 'module' || (b.kind === 'lesson' && a.moduleId === b.moduleId)));
