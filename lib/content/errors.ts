/** A problem in a content file, named precisely enough for an author to fix it in one go. */
export class ContentError extends Error {
  override name = 'ContentError';
  constructor(
    /** Path relative to the project root, e.g. `content/chapters/01-mlops-fundamentals.mdx`. */
    readonly file: string,
    /** The frontmatter field or block at fault, when there is one. */
    readonly field: string | undefined,
    detail: string,
  ) {
    super(field ? `${file}: field "${field}": ${detail}` : `${file}: ${detail}`);
  }
}
