/** Students read their own enrollments; enrollments are only ever created by payments, free enroll or admins. */
export default {
  routes: [
    { method: 'GET', path: '/enrollments', handler: 'enrollment.find', config: { policies: ['global::is-student'] } },
    { method: 'GET', path: '/enrollments/:id', handler: 'enrollment.findOne', config: { policies: ['global::is-student'] } },
  ],
};
