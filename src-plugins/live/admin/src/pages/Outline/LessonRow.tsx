import { useState, type DragEvent } from 'react';
import { NavLink } from 'react-router-dom';
import { Badge, Box, Flex, IconButton, Link, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Pencil, Trash } from '@strapi/icons';
import { formatDuration } from '../../api/live';
import type { OutlineLesson } from '../../api/outline';
import { DragGrip, DropLine, moveKey } from './Parts';
import { StateBadge } from './StateBadge';
import { TitleForm } from './TitleForm';
import { editViewPath } from './paths';

const TYPE_LABEL: Record<OutlineLesson['type'], string> = { video: 'Video', article: 'Article', live: 'Live class', quiz: 'Quiz' };

export type LessonRowProps = {
  lesson: OutlineLesson;
  /** 1-based, within its module. */
  number: number;
  canEdit: boolean;
  /** A dragged lesson would land just above this one. */
  dropLineAbove: boolean;
  /** This is the lesson being dragged (drawn faded). */
  isDragged: boolean;
  onDragStart: (event: DragEvent<HTMLElement>, lesson: OutlineLesson) => void;
  onDragEnd: () => void;
  onDragOver: (event: DragEvent<HTMLElement>, lesson: OutlineLesson) => void;
  onDrop: (event: DragEvent<HTMLElement>) => void;
  /** Null when it can't move that way (the very top or bottom of the course). */
  onMoveUp: (() => void) | null;
  onMoveDown: (() => void) | null;
  onRename: (title: string) => Promise<string | null>;
  onRemove: () => void;
};

/** One lesson of a module: its title (a link to its edit view), kind, length and state, and the editor's controls. */
export const LessonRow = ({ lesson, number, canEdit, dropLineAbove, isDragged, onDragStart, onDragEnd, onDragOver, onDrop, onMoveUp, onMoveDown, onRename, onRemove }: LessonRowProps) => {
  const [renaming, setRenaming] = useState(false);
  const details = [TYPE_LABEL[lesson.type] ?? lesson.type, lesson.duration > 0 ? formatDuration(lesson.duration) : null].filter(Boolean).join(' · ');
  const draggable = canEdit && !renaming;

  return (
    <Box tag="li" data-lesson={lesson.documentId} onDragOver={(event: DragEvent<HTMLElement>) => onDragOver(event, lesson)} onDrop={onDrop}>
      {dropLineAbove && <DropLine aria-hidden />}
      <Flex
        gap={3}
        paddingTop={2}
        paddingBottom={2}
        paddingLeft={3}
        paddingRight={2}
        hasRadius
        background="neutral0"
        borderColor="neutral150"
        style={{ opacity: isDragged ? 0.45 : 1 }}
        draggable={draggable}
        onDragStart={draggable ? (event: DragEvent<HTMLElement>) => onDragStart(event, lesson) : undefined}
        onDragEnd={draggable ? onDragEnd : undefined}
      >
        {canEdit && <DragGrip />}
        {renaming ? (
          <TitleForm
            label={`New title for “${lesson.title}”`}
            hideLabel
            initial={lesson.title}
            submitLabel="Save"
            autoFocus
            onCancel={() => setRenaming(false)}
            onSubmit={async (title) => {
              const failed = await onRename(title);
              if (!failed) setRenaming(false);
              return failed;
            }}
          />
        ) : (
          <>
            <Flex direction="column" alignItems="flex-start" flex="1" minWidth={0}>
              <Flex gap={2}>
                <Typography textColor="neutral600" aria-hidden>
                  {number}.
                </Typography>
                <Link tag={NavLink} to={editViewPath('lesson', lesson.documentId)} draggable={false}>
                  {lesson.title}
                </Link>
              </Flex>
              <Flex gap={2} wrap="wrap">
                <Typography variant="pi" textColor="neutral600">
                  {details}
                </Typography>
                {lesson.isPreview && (
                  <Badge size="S" variant="primary">
                    Free preview
                  </Badge>
                )}
                {lesson.type === 'video' && !lesson.hasVideo && (
                  <Badge size="S" backgroundColor="warning100" textColor="warning700">
                    No video yet
                  </Badge>
                )}
              </Flex>
            </Flex>
            <StateBadge state={lesson.state} />
            {canEdit && (
              <Flex gap={1}>
                <IconButton label={`Move “${lesson.title}” up`} variant="ghost" disabled={!onMoveUp} onClick={() => onMoveUp?.()} data-move={moveKey(lesson.documentId, 'up')}>
                  <ArrowUp />
                </IconButton>
                <IconButton label={`Move “${lesson.title}” down`} variant="ghost" disabled={!onMoveDown} onClick={() => onMoveDown?.()} data-move={moveKey(lesson.documentId, 'down')}>
                  <ArrowDown />
                </IconButton>
                <IconButton label={`Rename “${lesson.title}”`} variant="ghost" onClick={() => setRenaming(true)}>
                  <Pencil />
                </IconButton>
                <IconButton label={`Remove “${lesson.title}”`} variant="ghost" onClick={onRemove}>
                  <Trash />
                </IconButton>
              </Flex>
            )}
          </>
        )}
      </Flex>
    </Box>
  );
};
