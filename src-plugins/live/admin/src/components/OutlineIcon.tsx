import { BulletList } from '@strapi/icons';

export const OutlineIcon = () => <BulletList />;
