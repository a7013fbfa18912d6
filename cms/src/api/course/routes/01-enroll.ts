export default {
  routes: [
    {
      method: 'POST',
      path: '/courses/:id/enroll',
      handler: 'course.enroll',
      config: { policies: ['global::is-student'] },
    },
  ],
};
