/**
 * Slugs: the lowercase, dash-separated words of a title, as the site's URLs use them. One
 * definition for the catalog's slug rules (cms/src/catalog/slugs.ts) and recordings published as
 * lessons. Browser-safe.
 */

/** What a lesson slug may look like (also the lesson schema's regex). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Long enough for a 160-character title; a suffix (-2, -3 …) still fits the 255-character column. */
export const SLUG_MAX_LENGTH = 200;

/** "Déjà vu: closures & scope!" → "deja-vu-closures-scope"; '' when nothing latin is left. */
export function slugify(text: string, maxLength = SLUG_MAX_LENGTH): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

/** Is `slug` what `title` makes, possibly with a uniqueness suffix ("intro", "intro-2")? Then it follows the title. */
export function followsTitle(slug: string | null | undefined, title: string | null | undefined): boolean {
  if (!slug || !title) return false;
  const base = slugify(title);
  if (!base) return false;
  return slug === base || (slug.startsWith(`${base}-`) && /^\d+$/.test(slug.slice(base.length + 1)));
}

/** `base`, or `base-2`, `base-3` … — the first one `taken` doesn't hold. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
