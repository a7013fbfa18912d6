import access from './access';
import provider from './provider';
import sessions from './sessions';
import attendance from './attendance';
import analytics from './analytics';
import streamEvents from './stream-events';
import engagement from './engagement';

export default { liveAccess: access, liveProvider: provider, liveSessions: sessions, attendance, liveAnalytics: analytics, liveEngagement: engagement, streamEvents };
