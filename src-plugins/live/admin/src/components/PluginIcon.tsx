import { PlayCircle } from '@strapi/icons';

export const PluginIcon = () => <PlayCircle />;
