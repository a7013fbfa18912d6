import outline from './outline';
import editing from './editing';
import publishing from './publishing';
import media from './media';

export default { courseOutline: outline, outlineEditing: editing, outlinePublishing: publishing, lessonMedia: media };
