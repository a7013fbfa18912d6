import type { Core } from '@strapi/strapi';

/**
 * The `money` custom field (plugin::live.money): an integer of paise underneath, so the API and
 * payments keep exact amounts, edited in rupees by the admin's input (admin/src/components/money).
 * Registered here, before content types load, because the course's price uses it.
 */
export const MONEY_FIELD = { name: 'money', plugin: 'live', type: 'integer' } as const;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  strapi.customFields.register({ ...MONEY_FIELD, inputSize: { default: 4, isResizable: true } });
  strapi.log.debug('[live] registered');
};
