/** Shared by the build-time index (search-index.ts) and the browser (components/ui/SearchDialog.tsx). */
import type { Options } from 'minisearch';

export type SearchDocument = {
  id: string;
  kind: 'chapter' | 'section' | 'lab' | 'term';
  title: string;
  /** Where the result sits, e.g. "Chapter 6 · Serving & deployment strategies". */
  context: string;
  url: string;
  text: string;
  excerpt: string;
};

export const searchOptions: Options<SearchDocument> = {
  fields: ['title', 'text'],
  storeFields: ['kind', 'title', 'context', 'url', 'excerpt'],
  searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: 0.2, combineWith: 'AND' },
};

