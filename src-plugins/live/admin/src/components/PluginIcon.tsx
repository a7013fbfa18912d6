import { Television } from '@strapi/icons';

export const PluginIcon = () => <Television />;
