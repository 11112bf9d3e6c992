import { getChapters, getCompiledChapter, getGlossary } from '@/lib/content/course';
import { buildSearchIndex, searchDocuments } from '@/lib/content/search-index';

// Built once at build time and served as a static file.
export const dynamic = 'force-static';

export async function GET() {
  const chapters = await Promise.all(
    getChapters().map(async (chapter) => ({ chapter, toc: (await getCompiledChapter(chapter.slug)).toc })),
  );
  const index = buildSearchIndex(searchDocuments(chapters, getGlossary()));
  return Response.json(index);
}
