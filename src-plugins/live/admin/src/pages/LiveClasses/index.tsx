import { Navigate, Route, Routes } from 'react-router-dom';
import { Page } from '@strapi/strapi/admin';
import { SESSION_PERMISSIONS } from '../../permissions';
import { SessionsList } from './SessionsList';
import { SessionDetail } from './SessionDetail';
import { Dashboard } from './Dashboard';

/**
 * The mentor's "Live classes" section, mounted at /plugins/live/*:
 *   /plugins/live                 the classes (Upcoming / Live / Past)
 *   /plugins/live/sessions/:id    one class: go live, OBS settings, stream health, viewers, analytics
 *   /plugins/live/analytics       the dashboard across classes
 * Mentors see their own classes (the API filters); super-admins see everyone's.
 */
const LiveClassesPage = () => (
  <Page.Protect permissions={SESSION_PERMISSIONS.read}>
    <Routes>
      <Route index element={<SessionsList />} />
      <Route path="sessions/:id" element={<SessionDetail />} />
      <Route path="analytics" element={<Dashboard />} />
      <Route path="*" element={<Navigate to="/plugins/live" replace />} />
    </Routes>
  </Page.Protect>
);

export default LiveClassesPage;
