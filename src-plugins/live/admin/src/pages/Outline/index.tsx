import { Navigate, Route, Routes } from 'react-router-dom';
import { Page } from '@strapi/strapi/admin';
import { OUTLINE_PERMISSIONS } from '../../permissions';
import { CourseList } from './CourseList';
import { CourseOutline } from './CourseOutline';
import { OUTLINE_BASE } from './paths';

/**
 * "Course outline", mounted at /plugins/course-outline/*:
 *   /plugins/course-outline             pick a course
 *   /plugins/course-outline/:courseId   its modules and lessons: arrange, add, upload, publish whole
 * Anyone who may read courses in the content manager opens it; what they may change is the
 * server's answer (`rights`), so mentors get it read-only.
 */
const OutlinePage = () => (
  <Page.Protect permissions={OUTLINE_PERMISSIONS.read}>
    <Routes>
      <Route index element={<CourseList />} />
      <Route path=":courseId" element={<CourseOutline />} />
      <Route path="*" element={<Navigate to={OUTLINE_BASE} replace />} />
    </Routes>
  </Page.Protect>
);

export default OutlinePage;
