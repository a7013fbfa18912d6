import { useRef, useState, type DragEvent } from 'react';
import { NavLink } from 'react-router-dom';
import { Box, Button, Flex, IconButton, Link, TextButton, Typography, VisuallyHidden } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Pencil, Plus, Trash, Upload } from '@strapi/icons';
import { formatCount, formatDuration } from '../../api/live';
import { dragHasFiles, type Outline, type OutlineLesson, type OutlineModule } from '../../api/outline';
import { ProgressMeter } from '../../components/ProgressMeter';
import { LessonRow } from './LessonRow';
import { DragGrip, DropLine, moveKey } from './Parts';
import { StateBadge } from './StateBadge';
import { TitleForm } from './TitleForm';
import { editViewPath } from './paths';
import { useBulkUpload, type UploadItem } from './useBulkUpload';
import type { Dragging } from './drag';

/** What the outline page does for a module card (all of it changes the page's one outline). */
export type ModuleActions = {
  startDrag: (event: DragEvent<HTMLElement>, dragging: Dragging) => void;
  endDrag: () => void;
  /** A drag over the module card itself (not over one of its lessons). */
  dragOverModule: (event: DragEvent<HTMLElement>, module: OutlineModule) => void;
  dragOverLesson: (event: DragEvent<HTMLElement>, module: OutlineModule, lesson: OutlineLesson) => void;
  drop: (event: DragEvent<HTMLElement>) => void;
  moveModule: (module: OutlineModule, direction: 'up' | 'down') => void;
  canMoveModule: (module: OutlineModule, direction: 'up' | 'down') => boolean;
  moveLesson: (lesson: OutlineLesson, direction: 'up' | 'down') => void;
  canMoveLesson: (lesson: OutlineLesson, direction: 'up' | 'down') => boolean;
  renameModule: (module: OutlineModule, title: string) => Promise<string | null>;
  removeModule: (module: OutlineModule) => void;
  addLesson: (module: OutlineModule, title: string) => Promise<string | null>;
  renameLesson: (lesson: OutlineLesson, title: string) => Promise<string | null>;
  removeLesson: (lesson: OutlineLesson) => void;
  /** A lesson made by the bulk upload came back with the new outline. */
  showOutline: (outline: Outline) => void;
};

type ModuleCardProps = {
  module: OutlineModule;
  number: number;
  canEdit: boolean;
  dragging: Dragging | null;
  /** A dragged module would land just above this one. */
  dropLineAbove: boolean;
  /** Where a dragged lesson would land in this module: before a lesson, at the end (null), or not here (undefined). */
  lessonDropBefore: string | null | undefined;
  actions: ModuleActions;
};


const uploadStatus = (item: UploadItem) => {
  switch (item.stage) {
    case 'waiting':
      return 'Waiting';
    case 'reading':
      return 'Reading the video’s length…';
    case 'uploading':
      return `Uploading… ${Math.round(item.percent)} %`;
    case 'creating':
      return 'Creating the lesson…';
    case 'done':
      return `Added as “${item.title}”${item.duration ? ` (${formatDuration(item.duration)})` : ''}`;
    default:
      return item.error ?? 'Failed';
  }
};

/**
 * A module: its header (drag it by the header to move the module), its lessons in order, adding a
 * lesson, and the bulk upload: videos dropped anywhere on the card (or chosen with the button)
 * become draft lessons at its end.
 */
export const ModuleCard = ({ module, number, canEdit, dragging, dropLineAbove, lessonDropBefore, actions }: ModuleCardProps) => {
  const [renaming, setRenaming] = useState(false);
  const [adding, setAdding] = useState(false);
  const [filesOver, setFilesOver] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const uploads = useBulkUpload(module.documentId, actions.showOutline);
  const seconds = module.lessons.reduce((sum, lesson) => sum + (lesson.duration || 0), 0);
  const headerDraggable = canEdit && !renaming;
  const finished = uploads.items.filter((item) => item.stage === 'done').length;
  const failed = uploads.items.filter((item) => item.stage === 'failed').length;

  const onDragOver = (event: DragEvent<HTMLElement>) => {
    if (canEdit && dragHasFiles(event)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      if (!filesOver) setFilesOver(true);
      return;
    }
    actions.dragOverModule(event, module);
  };
  const onDrop = (event: DragEvent<HTMLElement>) => {
    if (canEdit && dragHasFiles(event)) {
      event.preventDefault();
      setFilesOver(false);
      uploads.enqueue(Array.from(event.dataTransfer.files));
      return;
    }
    actions.drop(event);
  };
  const onDragLeave = (event: DragEvent<HTMLElement>) => {
    if (filesOver && !event.currentTarget.contains(event.relatedTarget as Node | null)) setFilesOver(false);
  };

  return (
    <Box tag="li" data-module={module.documentId}>
      {dropLineAbove && <DropLine aria-hidden />}
      <Box
        tag="section"
        aria-labelledby={`module-${module.documentId}`}
        background={filesOver ? 'primary100' : 'neutral0'}
        borderColor={filesOver ? 'primary600' : 'neutral150'}
        hasRadius
        shadow="tableShadow"
        padding={4}
        marginBottom={4}
        style={{ opacity: dragging?.kind === 'module' && dragging.id === module.documentId ? 0.45 : 1 }}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
      >
        <Flex
          gap={3}
          paddingBottom={3}
          draggable={headerDraggable}
          onDragStart={headerDraggable ? (event: DragEvent<HTMLElement>) => actions.startDrag(event, { kind: 'module', id: module.documentId, title: module.title }) : undefined}
          onDragEnd={headerDraggable ? actions.endDrag : undefined}
          data-module-header
        >
          {canEdit && <DragGrip />}
          {renaming ? (
            <TitleForm
              label={`New title for the module “${module.title}”`}
              hideLabel
              initial={module.title}
              submitLabel="Save"
              autoFocus
              onCancel={() => setRenaming(false)}
              onSubmit={async (title) => {
                const failedMessage = await actions.renameModule(module, title);
                if (!failedMessage) setRenaming(false);
                return failedMessage;
              }}
            />
          ) : (
            <>
              <Flex direction="column" alignItems="flex-start" flex="1" minWidth={0}>
                <Typography variant="sigma" textColor="neutral600">
                  Module {number}
                </Typography>
                <Typography tag="h2" variant="delta" id={`module-${module.documentId}`}>
                  <Link tag={NavLink} to={editViewPath('module', module.documentId)} draggable={false}>
                    {module.title}
                  </Link>
                </Typography>
                <Typography variant="pi" textColor="neutral600">
                  {formatCount(module.lessons.length, 'lesson', 'lessons')}
                  {seconds > 0 ? ` · ${formatDuration(seconds)}` : ''}
                </Typography>
              </Flex>
              <StateBadge state={module.state} />
              {canEdit && (
                <Flex gap={1}>
                  <IconButton label={`Move the module “${module.title}” up`} variant="ghost" disabled={!actions.canMoveModule(module, 'up')} onClick={() => actions.moveModule(module, 'up')} data-move={moveKey(module.documentId, 'up')}>
                    <ArrowUp />
                  </IconButton>
                  <IconButton
                    label={`Move the module “${module.title}” down`}
                    variant="ghost"
                    disabled={!actions.canMoveModule(module, 'down')}
                    onClick={() => actions.moveModule(module, 'down')}
                    data-move={moveKey(module.documentId, 'down')}
                  >
                    <ArrowDown />
                  </IconButton>
                  <IconButton label={`Rename the module “${module.title}”`} variant="ghost" onClick={() => setRenaming(true)}>
                    <Pencil />
                  </IconButton>
                  <IconButton label={`Remove the module “${module.title}”`} variant="ghost" onClick={() => actions.removeModule(module)}>
                    <Trash />
                  </IconButton>
                </Flex>
              )}
            </>
          )}
        </Flex>

        <Flex tag="ol" direction="column" alignItems="stretch" gap={1} aria-label={`Lessons of “${module.title}”`}>
          {module.lessons.map((lesson, index) => (
            <LessonRow
              key={lesson.documentId}
              lesson={lesson}
              number={index + 1}
              canEdit={canEdit}
              dropLineAbove={lessonDropBefore === lesson.documentId}
              isDragged={dragging?.kind === 'lesson' && dragging.id === lesson.documentId}
              onDragStart={(event, dragged) => actions.startDrag(event, { kind: 'lesson', id: dragged.documentId, title: dragged.title })}
              onDragEnd={actions.endDrag}
              onDragOver={(event, over) => actions.dragOverLesson(event, module, over)}
              onDrop={actions.drop}
              onMoveUp={actions.canMoveLesson(lesson, 'up') ? () => actions.moveLesson(lesson, 'up') : null}
              onMoveDown={actions.canMoveLesson(lesson, 'down') ? () => actions.moveLesson(lesson, 'down') : null}
              onRename={(title) => actions.renameLesson(lesson, title)}
              onRemove={() => actions.removeLesson(lesson)}
            />
          ))}
        </Flex>
        {lessonDropBefore === null && <DropLine aria-hidden />}
        {module.lessons.length === 0 && (
          <Box paddingTop={1} paddingBottom={2}>
            <Typography textColor="neutral600">{canEdit ? 'No lessons yet: add one, drop videos here, or drag a lesson in.' : 'No lessons yet.'}</Typography>
          </Box>
        )}

        {canEdit && (
          <Box paddingTop={3}>
            {adding ? (
              <TitleForm
                label={`New lesson in “${module.title}”`}
                placeholder="Lesson title"
                submitLabel="Add lesson"
                autoFocus
                resetOnSuccess
                onCancel={() => setAdding(false)}
                onSubmit={(title) => actions.addLesson(module, title)}
              />
            ) : (
              <Flex gap={4} wrap="wrap">
                <Button variant="secondary" size="S" startIcon={<Plus />} onClick={() => setAdding(true)}>
                  Add lesson
                </Button>
                <Flex gap={2} data-upload-zone>
                  <Upload aria-hidden />
                  <Typography variant="pi" textColor="neutral600">
                    Drop videos on this module to add them as lessons, or
                  </Typography>
                  <TextButton onClick={() => fileInput.current?.click()}>choose videos</TextButton>
                  <input
                    ref={fileInput}
                    type="file"
                    accept="video/*"
                    multiple
                    hidden
                    aria-label={`Videos to add as lessons to “${module.title}”`}
                    onChange={(event) => {
                      uploads.enqueue(Array.from(event.target.files ?? []));
                      event.target.value = '';
                    }}
                  />
                </Flex>
              </Flex>
            )}
          </Box>
        )}

        {uploads.items.length > 0 && (
          <Box paddingTop={3}>
            <Flex justifyContent="space-between" paddingBottom={2}>
              <Typography variant="sigma" textColor="neutral600">
                Videos
              </Typography>
              {!uploads.busy && (
                <TextButton onClick={uploads.clearFinished}>Clear</TextButton>
              )}
            </Flex>
            <Flex tag="ul" direction="column" alignItems="stretch" gap={2} aria-label={`Videos being added to “${module.title}”`}>
              {uploads.items.map((item) => (
                <Box tag="li" key={item.key} data-upload={item.fileName} data-stage={item.stage}>
                  <Flex justifyContent="space-between" gap={2}>
                    <Typography fontWeight="semiBold" ellipsis>
                      {item.fileName}
                    </Typography>
                    <Typography variant="pi" textColor={item.stage === 'failed' ? 'danger600' : item.stage === 'done' ? 'success600' : 'neutral600'}>
                      {uploadStatus(item)}
                    </Typography>
                  </Flex>
                  {(item.stage === 'uploading' || item.stage === 'creating') && (
                    <Box paddingTop={1}>
                      <ProgressMeter percent={item.percent} label={`Uploading ${item.fileName}`} valueText={`${Math.round(item.percent)} % uploaded`} />
                    </Box>
                  )}
                </Box>
              ))}
            </Flex>
            <VisuallyHidden>
              <span aria-live="polite">
                {finished || failed ? `${formatCount(finished, 'video', 'videos')} added${failed ? `, ${failed} failed` : ''}.` : ''}
              </span>
            </VisuallyHidden>
          </Box>
        )}
      </Box>
    </Box>
  );
};
