import { applyLayout, CONTENT_MANAGER_LAYOUTS } from '../content-manager-layouts';

const attributes = {
  title: { type: 'string' },
  order: { type: 'integer' },
  outlineLabel: { type: 'string' },
  course: { type: 'relation' },
  lessons: { type: 'relation' },
};
const current = {
  settings: { mainField: 'title', pageSize: 10 },
  metadatas: {
    title: { edit: { label: 'title', description: '', visible: true, editable: true }, list: { label: 'title', searchable: true } },
    order: { edit: { label: 'order', visible: true, editable: true }, list: { label: 'order' } },
    course: { edit: { label: 'course', mainField: 'id', visible: true, editable: true }, list: { label: 'course' } },
  },
  layouts: {
    list: ['id', 'title', 'order'],
    edit: [
      [{ name: 'title', size: 6 }, { name: 'order', size: 4 }],
      [{ name: 'course', size: 6 }, { name: 'lessons', size: 6 }],
    ],
  },
};

describe('the content manager layout set in code', () => {
  const module = CONTENT_MANAGER_LAYOUTS['api::module.module'];
  const applied = applyLayout(current as any, module, attributes, () => 6);

  it('labels and describes each field, and shows modules by course and title', () => {
    expect(applied.settings).toEqual({ mainField: 'outlineLabel', pageSize: 10 });
    expect(applied.metadatas.title.edit).toMatchObject({ label: 'Title', description: expect.stringMatching(/.{10}/), visible: true, editable: true });
    expect(applied.metadatas.title.list).toEqual({ label: 'Title', searchable: true });
    expect(applied.metadatas.course.edit.mainField).toBe('title');
    expect(applied.metadatas.outlineLabel.edit).toMatchObject({ label: 'Course › Module', editable: false, visible: true });
  });

  it('hides the position and the lesson list, and places a new visible field', () => {
    expect(applied.metadatas.order.edit).toMatchObject({ visible: false, editable: false });
    expect(applied.layouts.edit).toEqual([[{ name: 'title', size: 6 }], [{ name: 'course', size: 6 }, { name: 'outlineLabel', size: 6 }]]);
    expect(applied.layouts.list).toEqual(current.layouts.list);
  });

  it('changes nothing when applied again', () => {
    expect(applyLayout(applied, module, attributes, () => 6)).toEqual(applied);
  });
});
