import { escapeHtml, firstParagraph, renderBlocks, safeUrl } from '../blocks';

const text = (value: string, marks: Record<string, boolean> = {}) => ({ type: 'text', text: value, ...marks });

describe('renderBlocks', () => {
  it('renders the block types Strapi produces', () => {
    const html = renderBlocks([
      { type: 'paragraph', children: [text('Hello '), text('bold', { bold: true }), text(' and '), text('code', { code: true })] },
      { type: 'heading', level: 2, children: [text('Section')] },
      { type: 'list', format: 'ordered', children: [{ type: 'list-item', children: [text('one')] }, { type: 'list-item', children: [text('two')] }] },
      { type: 'quote', children: [text('wise words', { italic: true })] },
      { type: 'code', language: 'bash', children: [text('npm i\nnpm run dev')] },
    ]);
    expect(html).toContain('<p>Hello <strong>bold</strong> and <code>code</code></p>');
    expect(html).toContain('<h2>Section</h2>');
    expect(html).toContain('<ol><li>one</li><li>two</li></ol>');
    expect(html).toContain('<blockquote><p><em>wise words</em></p></blockquote>');
    expect(html).toContain('<pre tabindex="0" data-language="bash"><code>npm i\nnpm run dev</code></pre>');
  });

  it('escapes text and refuses script URLs', () => {
    const html = renderBlocks([
      { type: 'paragraph', children: [text('<img src=x onerror=alert(1)>')] },
      { type: 'paragraph', children: [{ type: 'link', url: 'javascript:alert(1)', children: [text('click')] }] },
      { type: 'paragraph', children: [{ type: 'link', url: 'https://example.com/?a="b"', children: [text('ok')] }] },
      { type: 'code', language: '"><script>', children: [text('</code><script>')] },
      { type: 'image', image: { url: 'javascript:alert(1)', alternativeText: 'x' } },
    ]);
    expect(html).not.toMatch(/<img|<script|javascript:/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<p>click</p>');
    expect(html).toContain('<a href="https://example.com/?a=&quot;b&quot;" rel="noopener noreferrer">ok</a>');
  });

  it('shifts headings under the page heading, keeping their distances', () => {
    const blocks = [
      { type: 'heading', level: 3, children: [text('A')] },
      { type: 'heading', level: 4, children: [text('B')] },
    ];
    expect(renderBlocks(blocks, { headingBase: 2 })).toBe('<h2>A</h2>\n<h3>B</h3>');
    expect(renderBlocks([{ type: 'heading', level: 1, children: [text('Top')] }], { headingBase: 3 })).toBe('<h3>Top</h3>');
  });

  it('resolves image URLs and sizes, skips unknown nodes and bad input', () => {
    const html = renderBlocks([{ type: 'image', image: { url: '/uploads/a.png', alternativeText: 'A chart', width: 640, height: 360 } }, { type: 'mystery' }], {
      mediaUrl: (path) => `http://cms.test${path}`,
    });
    expect(html).toBe('<img src="http://cms.test/uploads/a.png" alt="A chart" width="640" height="360" loading="lazy" decoding="async">\n');
    expect(renderBlocks(null)).toBe('');
    expect(renderBlocks([null, 1, 'x'])).toBe('\n\n');
  });
});

describe('helpers', () => {
  it('escapeHtml', () => expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'));
  it('safeUrl', () => {
    expect(safeUrl('https://x.y')).toBe('https://x.y');
    expect(safeUrl('/courses')).toBe('/courses');
    expect(safeUrl('//evil.example')).toBeUndefined();
    expect(safeUrl(' JaVaScRiPt:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,x')).toBeUndefined();
  });
  it('firstParagraph', () => {
    expect(firstParagraph([{ type: 'heading', children: [text('H')] }, { type: 'paragraph', children: [text('Intro '), text('text')] }])).toBe('Intro text');
    expect(firstParagraph([{ type: 'paragraph', children: [text('x'.repeat(300))] }], 50)).toHaveLength(50);
  });
});
