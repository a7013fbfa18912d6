export const PLUGIN_ID = 'live';
