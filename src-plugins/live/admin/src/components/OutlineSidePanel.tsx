import { useEffect, useState } from 'react';
import { NavLink } from 'react-router-dom';
import { useFetchClient } from '@strapi/strapi/admin';
import { Flex, LinkButton, Typography } from '@strapi/design-system';
import { BulletList } from '@strapi/icons';
import type { PanelComponent } from '@strapi/content-manager/strapi-admin';
import { OUTLINE_BASE, outlinePath } from '../pages/Outline/paths';

type CatalogModel = 'api::course.course' | 'api::module.module' | 'api::lesson.lesson';
const OUTLINE_MODELS: CatalogModel[] = ['api::course.course', 'api::module.module', 'api::lesson.lesson'];

/** The one document a to-one relation of a saved document points at (the content manager's relations API). */
async function related(get: ReturnType<typeof useFetchClient>['get'], model: string, documentId: string, field: string): Promise<string | null> {
  const { data } = await get<{ results: { documentId: string }[] }>(`/content-manager/relations/${model}/${encodeURIComponent(documentId)}/${field}`, {
    params: { pageSize: 1 },
  });
  return data.results[0]?.documentId ?? null;
}

/** The course a course, module or lesson belongs to: its documentId, null when it has none (yet), undefined while looking. */
function useCourseOf(model: string, documentId: string | undefined) {
  const { get } = useFetchClient();
  const [courseId, setCourseId] = useState<string | null | undefined>(undefined);

  useEffect(() => {
    let live = true;
    const find = async (): Promise<string | null> => {
      if (!documentId) return null;
      if (model === 'api::course.course') return documentId;
      if (model === 'api::module.module') return related(get, model, documentId, 'course');
      const moduleId = await related(get, model, documentId, 'module');
      return moduleId ? related(get, 'api::module.module', moduleId, 'course') : null;
    };
    if (!(OUTLINE_MODELS as string[]).includes(model)) return;
    setCourseId(undefined);
    find()
      .then((id) => live && setCourseId(id))
      .catch(() => live && setCourseId(null));
    return () => {
      live = false;
    };
  }, [get, model, documentId]);

  return courseId;
}

const NO_COURSE: Record<CatalogModel, string> = {
  'api::course.course': 'Save the course, then build its modules and lessons in its outline.',
  'api::module.module': 'This module isn’t in a course yet: choose its course and save.',
  'api::lesson.lesson': 'This lesson isn’t in a course yet: choose its module and save.',
};

/**
 * The content manager's edit view of a course, module or lesson links to the course's outline,
 * where the order, the modules' lessons and the whole course's publication are managed (the
 * relation lists and order numbers are hidden from these edit views).
 */
export const OutlineSidePanel: PanelComponent = ({ model, documentId }) => {
  const courseId = useCourseOf(model, documentId);
  if (!(OUTLINE_MODELS as string[]).includes(model)) return null;
  return {
    title: 'Course outline',
    content: (
      <Flex direction="column" alignItems="stretch" gap={2} width="100%">
        {courseId ? (
          <LinkButton tag={NavLink} to={outlinePath(courseId)} variant="secondary" startIcon={<BulletList />} fullWidth>
            Open the course outline
          </LinkButton>
        ) : courseId === null ? (
          <>
            <Typography variant="pi" textColor="neutral600">
              {NO_COURSE[model as CatalogModel]}
            </Typography>
            <LinkButton tag={NavLink} to={OUTLINE_BASE} variant="tertiary" startIcon={<BulletList />} fullWidth>
              All course outlines
            </LinkButton>
          </>
        ) : (
          <Typography variant="pi" textColor="neutral600">
            Finding the course…
          </Typography>
        )}
        <Typography variant="pi" textColor="neutral600">
          Order, add and publish a whole course&apos;s modules and lessons there.
        </Typography>
      </Flex>
    ),
  };
};
OutlineSidePanel.displayName = 'OutlineSidePanel';
