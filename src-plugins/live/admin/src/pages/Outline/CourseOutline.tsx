import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { NavLink, useParams } from 'react-router-dom';
import { BackButton, ConfirmDialog, Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { Box, Button, Dialog, EmptyStateLayout, Flex, LinkButton, Loader, Typography, VisuallyHidden } from '@strapi/design-system';
import { ArrowClockwise, Eye, EyeStriked, Pencil } from '@strapi/icons';
import { errorMessage, formatCount, formatDuration, toLiveApiError } from '../../api/live';
import {
  addLesson,
  addModule,
  getOutline,
  orderOf,
  removeLesson,
  removeModule,
  renameLesson,
  renameModule,
  saveOrder,
  type Outline,
  type OutlineLesson,
  type OutlineModule,
} from '../../api/outline';
import { Notice } from '../../components/live/Notice';
import { ModuleCard, type ModuleActions } from './ModuleCard';
import { DropLine, refocusMoveButton } from './Parts';
import { PublishDialog } from './PublishDialog';
import { StateBadge } from './StateBadge';
import { TitleForm } from './TitleForm';
import { overLowerHalf, sameSpot, startMoveDrag, type DropSpot, type Dragging } from './drag';
import { editViewPath, OUTLINE_BASE } from './paths';
import { describeLessonPlace, lessonDown, lessonUp, moduleDown, moduleUp, moveLesson, moveModule } from './reorder';

type Removing = { kind: 'module'; item: OutlineModule } | { kind: 'lesson'; item: OutlineLesson };


/** Did a drop change anything (dropping an item where it already was saves nothing)? */
const orderChanged = (before: OutlineModule[], after: OutlineModule[]) => JSON.stringify(orderOf({ modules: before })) !== JSON.stringify(orderOf({ modules: after }));

/**
 * One course as an outline: its modules and their lessons in the order students see them, each
 * with its draft/published state. Editors add, rename, remove and reorder in place (drag, or Move
 * up / Move down from the keyboard) — every change is saved at once, to the drafts — and publish
 * or unpublish the whole course. Without edit rights (mentors) it is read-only.
 */
export const CourseOutline = () => {
  const { courseId = '' } = useParams<{ courseId: string }>();
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const [outline, setOutline] = useState<Outline | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [savingOrder, setSavingOrder] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState<Dragging | null>(null);
  const [dropSpot, setDropSpot] = useState<DropSpot | null>(null);
  const [removing, setRemoving] = useState<Removing | null>(null);
  const [publishing, setPublishing] = useState<'publish' | 'unpublish' | null>(null);
  // The drag in progress, for the handlers: set synchronously, as a drop can follow the last
  // dragover before React has rendered it (the state above only draws it).
  const drag = useRef<{ item: Dragging | null; spot: DropSpot | null }>({ item: null, spot: null });
  // The outline now, for the handlers and order saves without re-creating them on every change.
  const current = useRef(outline);
  current.current = outline;
  const orderSaves = useRef(0);

  const reload = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    getOutline(client, courseId, controller.signal)
      .then((data) => {
        setOutline(data);
        setFailed(null);
      })
      .catch((error) => !controller.signal.aborted && setFailed(errorMessage(error)));
    return () => controller.abort();
  }, [client, courseId, reloads]);

  const notifyFailure = useCallback((what: string, error: unknown) => toggleNotification({ type: 'danger', message: `${what}: ${errorMessage(error)}` }), [toggleNotification]);

  /**
   * Shows a new order at once and saves it. Only the latest save's answer is shown (an earlier
   * one finishing late would undo a later move); a refused save reloads what the server has.
   */
  const applyOrder = useCallback(
    async (modules: OutlineModule[], said: string) => {
      const now = current.current;
      if (!now) return;
      setOutline({ ...now, modules });
      setAnnouncement(said);
      const save = ++orderSaves.current;
      setSavingOrder((n) => n + 1);
      try {
        const saved = await saveOrder(client, now.course.documentId, orderOf({ modules }));
        if (save === orderSaves.current) setOutline(saved);
      } catch (error) {
        notifyFailure('The new order wasn’t saved', error);
        reload();
      } finally {
        setSavingOrder((n) => n - 1);
      }
    },
    [client, notifyFailure, reload]
  );

  /** Runs a change that answers with the whole outline; resolves to the message to show when it fails. */
  const change = useCallback(async (run: () => Promise<Outline>, said?: string): Promise<string | null> => {
    try {
      setOutline(await run());
      if (said) setAnnouncement(said);
      return null;
    } catch (error) {
      return errorMessage(error);
    }
  }, []);

  const actions: ModuleActions = useMemo(() => {
    const modulesNow = () => current.current?.modules ?? [];
    const lessonMoved = (modules: OutlineModule[], lesson: OutlineLesson) => `Moved “${lesson.title}” to ${describeLessonPlace(modules, lesson.documentId)}.`;
    const moduleMoved = (modules: OutlineModule[], module: OutlineModule) =>
      `Moved the module “${module.title}” to position ${modules.findIndex((m) => m.documentId === module.documentId) + 1} of ${modules.length}.`;
    const setSpot = (spot: DropSpot) => {
      if (sameSpot(spot, drag.current.spot)) return;
      drag.current.spot = spot;
      setDropSpot(spot);
    };
    const clearDrag = () => {
      drag.current = { item: null, spot: null };
      setDragging(null);
      setDropSpot(null);
    };

    return {
      startDrag(event, item) {
        event.stopPropagation();
        startMoveDrag(event, item.title);
        drag.current = { item, spot: null };
        setDragging(item);
      },
      endDrag: clearDrag,
      dragOverModule(event, module) {
        const { item } = drag.current;
        if (!item) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        if (item.kind === 'lesson') return setSpot({ kind: 'lesson', moduleId: module.documentId, beforeId: null });
        const modules = modulesNow();
        const index = modules.findIndex((m) => m.documentId === module.documentId);
        setSpot({ kind: 'module', beforeId: overLowerHalf(event) ? (modules[index + 1]?.documentId ?? null) : module.documentId });
      },
      dragOverLesson(event, module, lesson) {
        const { item } = drag.current;
        // Modules dragged over a lesson are handled by the module card the lesson is in.
        if (item?.kind !== 'lesson') return;
        event.preventDefault();
        event.stopPropagation();
        event.dataTransfer.dropEffect = 'move';
        const index = module.lessons.findIndex((l) => l.documentId === lesson.documentId);
        const beforeId = overLowerHalf(event) ? (module.lessons[index + 1]?.documentId ?? null) : lesson.documentId;
        setSpot({ kind: 'lesson', moduleId: module.documentId, beforeId });
      },
      drop(event) {
        const { item, spot } = drag.current;
        if (!item || !spot) return;
        event.preventDefault();
        event.stopPropagation();
        clearDrag();
        const modules = modulesNow();
        if (item.kind === 'module' && spot.kind === 'module') {
          const next = moveModule(modules, item.id, spot.beforeId);
          const moved = next.find((m) => m.documentId === item.id);
          if (moved && orderChanged(modules, next)) void applyOrder(next, moduleMoved(next, moved));
        } else if (item.kind === 'lesson' && spot.kind === 'lesson') {
          const next = moveLesson(modules, item.id, spot.moduleId, spot.beforeId);
          const lesson = next.flatMap((m) => m.lessons).find((l) => l.documentId === item.id);
          if (lesson && orderChanged(modules, next)) void applyOrder(next, lessonMoved(next, lesson));
        }
      },
      moveModule(module, direction) {
        const modules = modulesNow();
        const next = direction === 'up' ? moduleUp(modules, module.documentId) : moduleDown(modules, module.documentId);
        if (!next) return;
        void applyOrder(next, moduleMoved(next, module));
        refocusMoveButton(module.documentId, direction);
      },
      canMoveModule(module, direction) {
        const modules = modulesNow();
        const index = modules.findIndex((m) => m.documentId === module.documentId);
        return direction === 'up' ? index > 0 : index >= 0 && index < modules.length - 1;
      },
      moveLesson(lesson, direction) {
        const modules = modulesNow();
        const next = direction === 'up' ? lessonUp(modules, lesson.documentId) : lessonDown(modules, lesson.documentId);
        if (!next) return;
        void applyOrder(next, lessonMoved(next, lesson));
        refocusMoveButton(lesson.documentId, direction);
      },
      canMoveLesson(lesson, direction) {
        const modules = modulesNow();
        return (direction === 'up' ? lessonUp(modules, lesson.documentId) : lessonDown(modules, lesson.documentId)) !== null;
      },
      renameModule: (module, title) => change(() => renameModule(client, module.documentId, title), `Renamed the module to “${title}”.`),
      removeModule: (module) => setRemoving({ kind: 'module', item: module }),
      addLesson: (module, title) => change(() => addLesson(client, module.documentId, { title }), `Added the lesson “${title}” to “${module.title}”.`),
      renameLesson: (lesson, title) => change(() => renameLesson(client, lesson.documentId, title), `Renamed the lesson to “${title}”.`),
      removeLesson: (lesson) => setRemoving({ kind: 'lesson', item: lesson }),
      showOutline: (next) => setOutline(next),
    };
  }, [applyOrder, change, client]);

  const confirmRemove = async () => {
    if (!removing) return;
    const { kind, item } = removing;
    try {
      setOutline(await (kind === 'module' ? removeModule(client, item.documentId) : removeLesson(client, item.documentId)));
      toggleNotification({ type: 'success', message: `Removed the ${kind} “${item.title}”.` });
    } catch (error) {
      // A module that still has lessons: the server's 409 names it and says what to do.
      if (toLiveApiError(error).status === 409) toggleNotification({ type: 'warning', message: errorMessage(error) });
      else notifyFailure(`The ${kind} “${item.title}” wasn’t removed`, error);
    } finally {
      setRemoving(null);
    }
  };

  if (failed && !outline) {
    return (
      <Page.Main>
        <Layouts.Header title="Course outline" navigationAction={<BackButton fallback={OUTLINE_BASE} />} />
        <Layouts.Content>
          <EmptyStateLayout
            content={`Couldn't load this course's outline: ${failed}`}
            action={
              <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={reload}>
                Try again
              </Button>
            }
          />
        </Layouts.Content>
      </Page.Main>
    );
  }
  if (!outline) return <Page.Loading />;

  const { course, modules, rights } = outline;
  const lessons = modules.reduce((sum, module) => sum + module.lessons.length, 0);
  const seconds = modules.reduce((sum, module) => sum + module.lessons.reduce((s, lesson) => s + (lesson.duration || 0), 0), 0);
  const canEdit = rights.edit;

  return (
    <Page.Main>
      <Page.Title>{`${course.title} · Course outline`}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={OUTLINE_BASE} />}
        title={course.title}
        subtitle={
          <Flex gap={2} wrap="wrap" tag="span">
            <StateBadge state={course.state} />
            <Typography textColor="neutral600">
              {formatCount(modules.length, 'module', 'modules')} · {formatCount(lessons, 'lesson', 'lessons')}
              {seconds > 0 ? ` · ${formatDuration(seconds)} of video` : ''}
            </Typography>
            {savingOrder > 0 && <Loader small>Saving the order</Loader>}
          </Flex>
        }
        primaryAction={
          rights.publish ? (
            <Flex gap={2}>
              {course.state !== 'draft' && (
                <Button variant="tertiary" startIcon={<EyeStriked />} onClick={() => setPublishing('unpublish')}>
                  Unpublish course
                </Button>
              )}
              <Button startIcon={<Eye />} onClick={() => setPublishing('publish')}>
                Publish course
              </Button>
            </Flex>
          ) : undefined
        }
        secondaryAction={
          <LinkButton tag={NavLink} to={editViewPath('course', course.documentId)} variant="tertiary" startIcon={<Pencil />}>
            Course details
          </LinkButton>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          {!canEdit && (
            <Notice variant="default" title="Read only">
              You can read this outline. Editors change and publish courses.
            </Notice>
          )}
          {canEdit && modules.length > 0 && (
            <Typography variant="pi" textColor="neutral600">
              Changes are saved to the drafts at once; students see them when the course is published. Drag a module by its header or a lesson by its row (or use the arrows) to change the order.
            </Typography>
          )}
          {modules.length === 0 ? (
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={6}>
              <Typography textColor="neutral600">{canEdit ? 'This course has no modules yet. Add the first one below.' : 'This course has no modules yet.'}</Typography>
            </Box>
          ) : (
            <Box tag="ol" aria-label={`Modules of “${course.title}”`} onDragOver={(event: DragEvent<HTMLElement>) => drag.current.item?.kind === 'module' && event.preventDefault()} onDrop={actions.drop}>
              {modules.map((module, index) => (
                <ModuleCard
                  key={module.documentId}
                  module={module}
                  number={index + 1}
                  canEdit={canEdit}
                  dragging={dragging}
                  dropLineAbove={dropSpot?.kind === 'module' && dropSpot.beforeId === module.documentId}
                  lessonDropBefore={dropSpot?.kind === 'lesson' && dropSpot.moduleId === module.documentId ? dropSpot.beforeId : undefined}
                  actions={actions}
                />
              ))}
              {dropSpot?.kind === 'module' && dropSpot.beforeId === null && (
                <Box tag="li" aria-hidden>
                  <DropLine />
                </Box>
              )}
            </Box>
          )}
          {canEdit && (
            <Box background="neutral0" hasRadius shadow="tableShadow" padding={4}>
              <TitleForm
                label="New module"
                placeholder="e.g. Getting started"
                submitLabel="Add module"
                resetOnSuccess
                onSubmit={(title) => change(() => addModule(client, course.documentId, title), `Added the module “${title}”.`)}
              />
            </Box>
          )}
        </Flex>
        <VisuallyHidden>
          <span aria-live="polite">{announcement}</span>
        </VisuallyHidden>
      </Layouts.Content>

      <Dialog.Root open={removing !== null} onOpenChange={(open: boolean) => !open && setRemoving(null)}>
        <ConfirmDialog title={removing?.kind === 'module' ? 'Remove this module?' : 'Remove this lesson?'} onConfirm={confirmRemove} variant="danger">
          {removing?.kind === 'module'
            ? `“${removing.item.title}” is deleted, draft and published. A module can only be removed once it has no lessons.`
            : removing
              ? `“${removing.item.title}” is deleted, draft and published: students lose it at once. Its video stays in the media library. This can’t be undone.`
              : ''}
        </ConfirmDialog>
      </Dialog.Root>

      {publishing && (
        <PublishDialog
          action={publishing}
          outline={outline}
          onClose={() => setPublishing(null)}
          onDone={(next, message) => {
            setOutline(next);
            setPublishing(null);
            setAnnouncement(message);
            toggleNotification({ type: 'success', message });
          }}
        />
      )}
    </Page.Main>
  );
};
