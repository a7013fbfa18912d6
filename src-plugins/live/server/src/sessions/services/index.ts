import access from './access';
import provider from './provider';
import sessions from './sessions';
import attendance from './attendance';
import analytics from './analytics';
import streamEvents from './stream-events';

export default { liveAccess: access, liveProvider: provider, liveSessions: sessions, attendance, liveAnalytics: analytics, streamEvents };
