import { PriceTag } from '@strapi/icons';

export const OrdersIcon = () => <PriceTag />;
