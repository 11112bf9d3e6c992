/**
 * A problem in a content file (a chapter, a lab's files), named precisely enough for an author to
 * fix it in one go. The web app's build and the runner's lab loader both throw it.
 */
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
