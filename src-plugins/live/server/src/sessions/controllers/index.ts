import sessions from './sessions';
import attendance from './attendance';
import analytics from './analytics';
import panel from './panel';
import streamEvents from './stream-events';
import playback from './playback';

export default { sessions, attendance, liveAnalytics: analytics, panel, streamEvents, playback };
