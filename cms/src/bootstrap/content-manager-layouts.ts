import type { Core } from '@strapi/strapi';

/**
 * How the content manager presents the catalog and the learner data, set in code on every start
 * (an admin's own "Configure the view" arrangement of the fields is kept; what is set here wins):
 * - every field's label and one-line description, in words an editor uses;
 * - each type's main field (what lists, relation pickers and the admin home show): a module is
 *   "<Course> › <Module>", an enrollment "<student> — <course>", a lesson progress
 *   "<student> — <lesson> (<course>)" (catalog/labels.ts keeps those);
 * - fields editors don't set are hidden: positions (`order`, set by dragging in the course
 *   outline), the course's module list and the module's lesson list (the outline edits those),
 *   internal keys; server-kept labels are read-only.
 *
 * Strapi keeps this configuration in its core store (`plugin_content_manager_configuration_content_types::<uid>`),
 * synchronised with the schemas by the content manager's own bootstrap, which runs before the
 * app's. Writing through its service stores only when something differs, so a restart changes nothing.
 */

type Field = {
  label: string;
  description: string;
  /** Not in the edit view at all. */
  hidden?: true;
  /** Shown, but the server sets it. */
  readOnly?: true;
  /** For a relation: the target's field its picker shows. */
  mainField?: string;
};
type TypeLayout = { mainField: string; fields: Record<string, Field> };

export const CONTENT_MANAGER_LAYOUTS: Record<string, TypeLayout> = {
  'api::category.category': {
    mainField: 'name',
    fields: {
      name: { label: 'Name', description: 'The subject area, as the site\'s category filter and course cards show it.' },
      slug: { label: 'URL slug', description: 'The category\'s address on the site: made from the name unless you type one.' },
      courses: { label: 'Courses', description: 'The courses in this category (each course picks its category).', mainField: 'title' },
    },
  },
  'api::course.course': {
    mainField: 'title',
    fields: {
      title: { label: 'Title', description: 'The course\'s name as students see it (at most 160 characters).' },
      slug: { label: 'URL slug', description: 'The course page\'s address, /courses/<slug>: follows the title until you edit it.' },
      summary: { label: 'Summary', description: 'One or two sentences for course cards and search results (at most 400 characters).' },
      description: { label: 'Description', description: 'The full description on the course page: what students will learn and for whom.' },
      cover: { label: 'Cover image', description: 'The picture on course cards and at the top of the course page.' },
      category: { label: 'Category', description: 'The subject area it is listed under.', mainField: 'name' },
      level: { label: 'Level', description: 'Who it is for: beginner, intermediate or advanced.' },
      language: { label: 'Language', description: 'The language it is taught in.' },
      price: { label: 'Price (₹)', description: 'In rupees: 0 for a free course, at least ₹49 for a paid one.' },
      currency: { label: 'Currency', description: 'The currency of the price (INR).' },
      isFree: { label: 'Free course', description: 'Signed-in students enroll without paying; the price must then be 0.' },
      instructors: { label: 'Instructors', description: 'The mentors who teach it (and run its live classes).', mainField: 'name' },
      modules: { label: 'Modules', description: 'Edited in the course outline (Course outline in the menu).', hidden: true, mainField: 'outlineLabel' },
    },
  },
  'api::module.module': {
    mainField: 'outlineLabel',
    fields: {
      title: { label: 'Title', description: 'The module\'s name in the course\'s syllabus.' },
      order: { label: 'Position', description: 'Its place in the course (0 first): set by dragging in the course outline.', hidden: true },
      outlineLabel: { label: 'Course › Module', description: 'Set from the course and module titles, so modules of different courses can be told apart.', readOnly: true },
      course: { label: 'Course', description: 'The course this module belongs to.', mainField: 'title' },
      lessons: { label: 'Lessons', description: 'Edited in the course outline (Course outline in the menu).', hidden: true, mainField: 'title' },
    },
  },
  'api::lesson.lesson': {
    mainField: 'title',
    fields: {
      title: { label: 'Title', description: 'The lesson\'s name in the syllabus (at most 160 characters).' },
      slug: { label: 'URL slug', description: 'The lesson\'s address within its course: follows the title until you edit it, and is unique within the course.' },
      type: { label: 'Lesson type', description: 'Video, article, live class or quiz: how the lesson page presents it.' },
      body: { label: 'Content', description: 'The lesson text: enrolled students read it (anyone, for a free preview).' },
      video: { label: 'Video', description: 'Enrolled students watch it (anyone, for a free preview); its length fills in the duration.' },
      recording: { label: 'Live class recording', description: 'Set when a live class\'s recording is published as this lesson; leave it empty otherwise.' },
      duration: { label: 'Duration (seconds)', description: 'Read from the video when one is uploaded' },
      isPreview: { label: 'Free preview', description: 'Anyone can read and watch a preview lesson without enrolling.' },
      order: { label: 'Position', description: 'Its place in the module (0 first): set by dragging in the course outline.', hidden: true },
      module: { label: 'Module', description: 'The module (and so the course) this lesson belongs to.', mainField: 'outlineLabel' },
    },
  },
  'api::instructor.instructor': {
    mainField: 'name',
    fields: {
      name: { label: 'Name', description: 'The mentor\'s name as students see it.' },
      slug: { label: 'URL slug', description: 'The profile\'s address on the site: made from the name unless you type one.' },
      bio: { label: 'Bio', description: 'A short introduction on the instructor\'s profile and course pages (at most 2000 characters).' },
      avatar: { label: 'Photo', description: 'The instructor\'s picture on course pages.' },
      adminUser: { label: 'Admin account', description: 'The mentor\'s admin-panel account, which links their live classes to this profile.', mainField: 'email' },
      courses: { label: 'Courses taught', description: 'The courses listing this instructor (set on each course).', mainField: 'title' },
    },
  },
  'api::enrollment.enrollment': {
    mainField: 'label',
    fields: {
      label: { label: 'Student — course', description: 'Set from the student\'s email and the course title.', readOnly: true },
      user: { label: 'Student', description: 'The student who has access.', mainField: 'email' },
      course: { label: 'Course', description: 'The course they have access to.', mainField: 'title' },
      source: { label: 'How they enrolled', description: 'purchase (paid), free (a free course), or admin (granted by hand).' },
      state: { label: 'State', description: 'active gives access to the lessons; refunded and revoked don\'t.' },
      enrolledAt: { label: 'Enrolled at', description: 'When access was granted (or last granted again).' },
      userCourseKey: { label: 'Internal key', description: 'Keeps one enrollment per student and course.', hidden: true },
    },
  },
  'api::lesson-progress.lesson-progress': {
    mainField: 'label',
    fields: {
      label: { label: 'Student — lesson', description: 'Set from the student\'s email and the lesson and course titles.', readOnly: true },
      user: { label: 'Student', description: 'Whose progress this is.', mainField: 'email' },
      lesson: { label: 'Lesson', description: 'The lesson it is about.', mainField: 'title' },
      completedAt: { label: 'Completed at', description: 'When the student finished the lesson; empty while it is in progress.' },
      positionSeconds: { label: 'Position (seconds)', description: 'Where the student stopped in the lesson\'s video.' },
      userLessonKey: { label: 'Internal key', description: 'Keeps one progress record per student and lesson.', hidden: true },
    },
  },
};

type Metadata = { edit: Record<string, unknown>; list: Record<string, unknown> };
type LayoutField = { name: string; size: number };
type Configuration = { settings: Record<string, unknown>; metadatas: Record<string, Metadata>; layouts: { list: string[]; edit: LayoutField[][] } };
type ContentTypesService = {
  findConfiguration(contentType: { uid: string }): Promise<Configuration & { uid: string }>;
  updateConfiguration(contentType: { uid: string }, configuration: Configuration): Promise<unknown>;
};
type FieldSizes = { hasFieldSize(type?: string): boolean; getFieldSize(type: string): { default: number } };

const MAX_ROW = 12;

/** The configuration `current` becomes with `layout` applied (pure: the tests and the boot share it). */
export function applyLayout(
  current: Configuration,
  layout: TypeLayout,
  attributes: Record<string, { type: string; customField?: string }>,
  sizeOf: (attribute: { type: string; customField?: string }) => number
): Configuration {
  const metadatas: Record<string, Metadata> = { ...current.metadatas };
  for (const [name, field] of Object.entries(layout.fields)) {
    if (!attributes[name]) continue;
    const meta = current.metadatas[name] ?? { edit: {}, list: {} };
    metadatas[name] = {
      edit: {
        ...meta.edit,
        label: field.label,
        description: field.description,
        visible: !field.hidden,
        editable: !field.readOnly && !field.hidden,
        ...(field.mainField ? { mainField: field.mainField } : {}),
      },
      list: { ...meta.list, label: field.label },
    };
  }

  const hidden = new Set(Object.entries(layout.fields).filter(([, field]) => field.hidden).map(([name]) => name));
  const edit = current.layouts.edit.map((row) => row.filter((cell) => !hidden.has(cell.name) && attributes[cell.name])).filter((row) => row.length > 0);
  // A field shown by this layout but missing from the arrangement (hidden before, say) goes at the end.
  const placed = new Set(edit.flat().map((cell) => cell.name));
  for (const name of Object.keys(layout.fields)) {
    if (hidden.has(name) || placed.has(name) || !attributes[name]) continue;
    const size = sizeOf(attributes[name]);
    const last = edit.at(-1);
    if (last && last.reduce((sum, cell) => sum + cell.size, 0) + size <= MAX_ROW) last.push({ name, size });
    else edit.push([{ name, size }]);
  }

  return {
    settings: { ...current.settings, mainField: layout.mainField },
    metadatas,
    layouts: { ...current.layouts, edit },
  };
}

export async function ensureContentManagerLayouts(strapi: Core.Strapi) {
  const contentManager = strapi.plugin('content-manager');
  const contentTypes = contentManager.service('content-types') as ContentTypesService;
  const sizes = contentManager.service('field-sizes') as FieldSizes;
  const sizeOf = (attribute: { type: string; customField?: string }) => {
    const type = sizes.hasFieldSize(attribute.customField) ? attribute.customField! : attribute.type;
    return sizes.hasFieldSize(type) ? sizes.getFieldSize(type).default : 6;
  };

  for (const [uid, layout] of Object.entries(CONTENT_MANAGER_LAYOUTS)) {
    const model = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, { type: string; customField?: string }> } | undefined;
    if (!model) continue;
    const { uid: _uid, ...current } = await contentTypes.findConfiguration({ uid });
    await contentTypes.updateConfiguration({ uid }, applyLayout(current, layout, model.attributes, sizeOf));
  }
}
