import { PLUGIN_ID } from '../../pluginId';

/** Absolute admin paths of the Live classes section (react-router adds the admin's basename). */
export const LIVE_BASE = `/plugins/${PLUGIN_ID}`;
export const sessionPath = (id: string) => `${LIVE_BASE}/sessions/${encodeURIComponent(id)}`;
export const ANALYTICS_PATH = `${LIVE_BASE}/analytics`;
