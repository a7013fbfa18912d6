/** A student's own progress: list it, and save a position or completion per lesson (an upsert). */
export default {
  routes: [
    { method: 'GET', path: '/lesson-progresses', handler: 'lesson-progress.find', config: { policies: ['global::is-student'] } },
    {
      method: 'PUT',
      path: '/lesson-progresses/:lessonId',
      handler: 'lesson-progress.upsert',
      config: { policies: ['global::is-student'] },
    },
  ],
};
