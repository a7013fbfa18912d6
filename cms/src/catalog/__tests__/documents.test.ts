import { mediaId, relationChange } from '../documents';

/** Row ids 1… have documentIds doc-1…: enough of strapi.db for relation inputs that name rows by id. */
const strapi = { db: { query: () => ({ findOne: async ({ where }: { where: { id: number } }) => ({ documentId: `doc-${where.id}` }) }) } } as any;
const change = (value: unknown) => relationChange(strapi, 'api::module.module', value);

describe('what a relation value in a write does', () => {
  it('names its target in every form the document service takes', async () => {
    for (const value of ['doc-7', 7, { documentId: 'doc-7' }, { id: 7 }, { connect: [{ id: 7, documentId: 'doc-7' }] }, { connect: ['doc-7'], disconnect: [] }, { set: [7] }, [7]]) {
      expect(await change(value)).toEqual({ changes: true, documentId: 'doc-7' });
    }
  });

  it('clears it, or leaves it alone', async () => {
    expect(await change(null)).toEqual({ changes: true, documentId: null });
    expect(await change({ disconnect: [{ id: 7 }] })).toEqual({ changes: true, documentId: null });
    expect(await change({ set: [] })).toEqual({ changes: true, documentId: null });
    expect(await change(undefined)).toEqual({ changes: false });
    expect(await change({ connect: [], disconnect: [] })).toEqual({ changes: false });
  });
});

describe('what a media value in a write names', () => {
  it.each([
    [12, 12],
    ['12', 12],
    [{ id: 12, url: '/uploads/a.mp4' }, 12],
    [[{ id: 12 }], 12],
    [null, null],
    [[], null],
    [undefined, undefined],
  ])('%j → %j', (value, id) => {
    expect(mediaId(value)).toBe(id);
  });
});
