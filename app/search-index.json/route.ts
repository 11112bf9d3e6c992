import { getChapters, getCompiledChapter, getGlossary } from '@/lib/content/course';
import { buildSearchIndex, labSearchEntry, searchDocuments } from '@/lib/content/search-index';
import { getLabs } from '@/lib/labs/catalog';

// Built once at build time and served as a static file.
export const dynamic = 'force-static';

export async function GET() {
  const chapters = await Promise.all(
    getChapters().map(async (chapter) => ({ chapter, toc: (await getCompiledChapter(chapter.slug)).toc })),
  );
  const index = buildSearchIndex(searchDocuments(chapters, getGlossary(), getLabs().map(labSearchEntry)));
  return Response.json(index);
}
