import sessions from './sessions';
import attendance from './attendance';
import analytics from './analytics';
import streamKeys from './stream-keys';
import streamEvents from './stream-events';
import playback from './playback';

export default { sessions, attendance, liveAnalytics: analytics, streamKeys, streamEvents, playback };
