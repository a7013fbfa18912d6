/**
 * The admin panel as Skillyug's: logo, tab titles and favicon, welcome texts, no Strapi tutorials
 * or release notices, and content-manager wording that says what publishing actually does here.
 * (The content manager's per-field labels are set by the server: cms/src/bootstrap/content-manager-layouts.ts.)
 */
import logo from './extensions/skillyug-logo.svg';
import mark from './extensions/skillyug-mark.svg';

const PRODUCT = 'Skillyug admin';

/** Strapi names every tab "<page> | Strapi" (Page.Title) and the document "Strapi Admin"; say Skillyug instead. */
function brandTabTitles() {
  const rename = () => {
    const title = document.title;
    const branded = title === 'Strapi Admin' ? PRODUCT : title.replace(/ \| Strapi$/, ` | ${PRODUCT}`);
    if (branded !== title) document.title = branded;
  };
  rename();
  const head = document.querySelector('head');
  if (head) new MutationObserver(rename).observe(head, { subtree: true, childList: true, characterData: true });
}

/** The tab's icon (the server also answers /favicon.ico with cms/favicon.png, the same mark). */
function setFavicon() {
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]') ?? document.head.appendChild(document.createElement('link'));
  link.rel = 'icon';
  link.type = 'image/svg+xml';
  link.href = mark;
}

export default {
  config: {
    locales: [],
    auth: { logo },
    menu: { logo: mark },
    tutorials: false,
    notifications: { releases: false },
    translations: {
      en: {
        'Auth.form.welcome.title': 'Welcome to Skillyug!',
        'Auth.form.welcome.subtitle': 'Log in to the Skillyug admin',
        'Auth.form.register.subtitle': 'Choose your name and password for the Skillyug admin, where the course catalog, live classes and orders are run.',
        'app.components.LeftMenu.navbrand.title': 'Skillyug',
        'app.components.LeftMenu.navbrand.workplace': 'Admin',
        'HomePage.header.subtitle': 'Welcome to the Skillyug admin',

        // Publishing one entry whose relations point at drafts: Strapi keeps those links in the
        // published version, and they show on the site once the drafts are published too (its
        // default text says they "will not be included", which is not what happens).
        'content-manager.popUpWarning.warning.has-draft-relations.title': 'Some linked entries are drafts',
        'content-manager.popUpWarning.warning.has-draft-relations.message':
          'This entry links to {count, plural, one {# entry that is} other {# entries that are}} still a draft. The link is kept: students see {count, plural, one {that entry} other {those entries}} once {count, plural, one {it is} other {they are}} published too. To publish a course with all its modules and lessons at once, use “Publish course” in its outline.',
        'content-manager.popUpwarning.warning.has-draft-relations.button-confirm': 'Publish this entry',
        'content-manager.popUpwarning.warning.bulk-has-draft-relations.message':
          '<b>{count} {count, plural, one {link} other {links}}</b> of {entities, plural, one {this entry points} other {these entries point}} to drafts. The links are kept and show on the site once those drafts are published too.',
      },
    },
  },
  bootstrap() {
    brandTabTitles();
    setFavicon();
  },
};
