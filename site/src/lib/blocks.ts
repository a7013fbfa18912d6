/**
 * Strapi "blocks" rich text → HTML. Every text is escaped, links and images only keep safe
 * URLs (http(s), mailto, tel, site-relative), unknown node types are skipped, and heading levels
 * are shifted so content never competes with the page's own h1. Pure (unit-tested).
 */

type Node = { type?: unknown; [key: string]: unknown };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Only URLs that can't run script: http(s), mailto, tel, or a path on this site. */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const url = value.trim();
  if (/^(https?:|mailto:|tel:)/i.test(url)) return url;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return undefined;
}

type Options = {
  /** The level the content's highest heading becomes (the others keep their distance to it). */
  headingBase?: number;
  /** Turns a Strapi media path into a browser URL. */
  mediaUrl?: (path: string) => string;
};

const children = (node: Node): Node[] => (Array.isArray(node.children) ? (node.children as Node[]) : []);

function inline(nodes: Node[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') {
        let html = escapeHtml(typeof node.text === 'string' ? node.text : '').replace(/\n/g, '<br>');
        if (node.code) html = `<code>${html}</code>`;
        if (node.bold) html = `<strong>${html}</strong>`;
        if (node.italic) html = `<em>${html}</em>`;
        if (node.underline) html = `<u>${html}</u>`;
        if (node.strikethrough) html = `<s>${html}</s>`;
        return html;
      }
      if (node.type === 'link') {
        const href = safeUrl(node.url);
        const text = inline(children(node));
        if (!href) return text;
        const external = /^https?:/i.test(href);
        return `<a href="${escapeHtml(href)}"${external ? ' rel="noopener noreferrer"' : ''}>${text}</a>`;
      }
      return '';
    })
    .join('');
}

const plainText = (nodes: Node[]): string =>
  nodes.map((node) => (node.type === 'text' && typeof node.text === 'string' ? node.text : plainText(children(node)))).join('');

const headingLevel = (node: Node) => Math.min(6, Math.max(1, Math.trunc(Number(node.level)) || 2));

type Resolved = Required<Options> & { topLevel: number };

function block(node: Node, options: Resolved): string {
  switch (node.type) {
    case 'paragraph': {
      const html = inline(children(node));
      return html.trim() ? `<p>${html}</p>` : '';
    }
    case 'heading': {
      const level = Math.min(6, Math.max(options.headingBase, headingLevel(node) - options.topLevel + options.headingBase));
      return `<h${level}>${inline(children(node))}</h${level}>`;
    }
    case 'list': {
      const tag = node.format === 'ordered' ? 'ol' : 'ul';
      const items = children(node)
        .map((item) => (item.type === 'list' ? block(item, options) : `<li>${inline(children(item))}</li>`))
        .join('');
      return `<${tag}>${items}</${tag}>`;
    }
    case 'quote':
      return `<blockquote><p>${inline(children(node))}</p></blockquote>`;
    case 'code': {
      const language = typeof node.language === 'string' && /^[\w+-]{1,30}$/.test(node.language) ? node.language : undefined;
      const label = language ? ` data-language="${language}"` : '';
      return `<pre tabindex="0"${label}><code>${escapeHtml(plainText(children(node)))}</code></pre>`;
    }
    case 'image': {
      const image = (node.image ?? {}) as Node;
      if (typeof image.url !== 'string') return '';
      const src = safeUrl(options.mediaUrl(image.url));
      if (!src) return '';
      const width = Number(image.width) > 0 ? ` width="${Number(image.width)}"` : '';
      const height = Number(image.height) > 0 ? ` height="${Number(image.height)}"` : '';
      const alt = typeof image.alternativeText === 'string' ? image.alternativeText : '';
      return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${width}${height} loading="lazy" decoding="async">`;
    }
    default:
      return '';
  }
}

export function renderBlocks(blocks: unknown, options: Options = {}): string {
  if (!Array.isArray(blocks)) return '';
  const levels = (blocks as Node[]).filter((node) => node?.type === 'heading').map(headingLevel);
  const resolved: Resolved = {
    headingBase: options.headingBase ?? 2,
    mediaUrl: options.mediaUrl ?? ((path: string) => path),
    topLevel: levels.length ? Math.min(...levels) : 1,
  };
  return (blocks as Node[]).map((node) => (node && typeof node === 'object' ? block(node, resolved) : '')).join('\n');
}

/** The first paragraph's text (a fallback description). */
export function firstParagraph(blocks: unknown, max = 200): string {
  if (!Array.isArray(blocks)) return '';
  const paragraph = (blocks as Node[]).find((node) => node?.type === 'paragraph');
  const text = paragraph ? plainText(children(paragraph)).trim() : '';
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
