import { PLUGIN_ID } from './pluginId';
import { PluginIcon } from './components/PluginIcon';
import { OrdersIcon } from './components/OrdersIcon';
import { OutlineIcon } from './components/OutlineIcon';
import { OutlineSidePanel } from './components/OutlineSidePanel';
import { OUTLINE_PERMISSIONS, PERMISSIONS, SESSION_PERMISSIONS } from './permissions';

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Live classes' },
      // Mentors (and super-admins): schedule classes, go live from OBS, see who watched.
      permissions: SESSION_PERMISSIONS.read,
      Component: () => import('./pages/LiveClasses'),
    });
    // Payments: shown only to admins who may read orders (Super Admins by default).
    app.addMenuLink({
      to: 'plugins/payments',
      icon: OrdersIcon,
      intlLabel: { id: `${PLUGIN_ID}.orders.menu`, defaultMessage: 'Orders' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/Orders'),
    });
    // Course authoring: a whole course as one outline (editors change it; mentors read it).
    app.addMenuLink({
      to: 'plugins/course-outline',
      icon: OutlineIcon,
      intlLabel: { id: `${PLUGIN_ID}.outline.menu`, defaultMessage: 'Course outline' },
      permissions: OUTLINE_PERMISSIONS.read,
      Component: () => import('./pages/Outline'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Live classes' });
    // Prices in rupees for editors, integer paise in the API (server/src/register.ts registers the same field).
    app.customFields.register({
      name: 'money',
      pluginId: PLUGIN_ID,
      type: 'integer',
      intlLabel: { id: `${PLUGIN_ID}.money.label`, defaultMessage: 'Money (₹)' },
      intlDescription: { id: `${PLUGIN_ID}.money.description`, defaultMessage: 'An amount in rupees, stored as whole paise' },
      components: { Input: async () => import('./components/money/MoneyInput') },
    });
  },

  bootstrap(app: any) {
    // "Open the course outline" beside every course, module and lesson in the content manager.
    const contentManager = app.getPlugin('content-manager')?.apis;
    if (typeof contentManager?.addEditViewSidePanel === 'function') contentManager.addEditViewSidePanel([OutlineSidePanel]);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          return { data, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
