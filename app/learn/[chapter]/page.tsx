import type { Metadata } from 'next';
import Link from 'next/link';
import { MdxContent } from '@/components/mdx/MdxContent';
import { ChapterEnd } from '@/components/progress/ChapterEnd';
import { ProgressProvider } from '@/components/progress/ProgressProvider';
import { neighboursOf } from '@/lib/content/chapters';
import { getChapters, getCompiledChapter } from '@/lib/content/course';
import { TableOfContents } from '@/components/ui/TableOfContents';

type Params = { chapter: string };

export const dynamicParams = false;

export function generateStaticParams(): Params[] {
  return getChapters().map((chapter) => ({ chapter: chapter.slug }));
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { chapter: slug } = await params;
  const chapter = getChapters().find((candidate) => candidate.slug === slug);
  return chapter ? { title: chapter.title, description: chapter.summary } : {};
}

export default async function ChapterPage({ params }: { params: Promise<Params> }) {
  const { chapter: slug } = await params;
  const chapters = getChapters();
  const chapter = chapters.find((candidate) => candidate.slug === slug);
  if (!chapter) throw new Error(`Unknown chapter ${slug}`);
  const { code, toc } = await getCompiledChapter(slug);
  const { previous, next } = neighboursOf(chapters, slug);

  // Static: quizzes and the chapter's end save a signed-in learner's progress from the browser.
  return (
    <ProgressProvider chapter={slug}>
      <div className="chapter-layout">
        <article className="chapter">
          <header className="chapter__header">
            <p className="eyebrow">Chapter {chapter.order}</p>
            <h1>{chapter.title}</h1>
            <p className="chapter__summary">{chapter.summary}</p>
            <p className="chapter-meta">
              <span className={`badge badge--${chapter.difficulty}`}>{chapter.difficulty}</span>
              <span>{chapter.minutes} min read</span>
            </p>
            <section className="objectives" aria-labelledby="objectives-title">
              <h2 id="objectives-title" className="objectives__title">
                By the end of this chapter you can
              </h2>
              <ul>
                {chapter.objectives.map((objective) => (
                  <li key={objective}>{objective}</li>
                ))}
              </ul>
            </section>
          </header>
          <div className="prose">
            <MdxContent code={code} />
          </div>
          <ChapterEnd chapter={slug} />
          <nav className="chapter-nav" aria-label="Chapters">
            {previous ? (
              <Link
                className="chapter-nav__link chapter-nav__link--previous"
                href={`/learn/${previous.slug}`}
                rel="prev"
              >
                <span className="chapter-nav__label">Previous</span>
                {previous.title}
              </Link>
            ) : (
              <span />
            )}
            {next ? (
              <Link
                className="chapter-nav__link chapter-nav__link--next"
                href={`/learn/${next.slug}`}
                rel="next"
              >
                <span className="chapter-nav__label">Next</span>
                {next.title}
              </Link>
            ) : (
              <Link className="chapter-nav__link chapter-nav__link--next" href="/learn">
                <span className="chapter-nav__label">Done</span>
                Back to the course
              </Link>
            )}
          </nav>
        </article>
        <TableOfContents entries={toc} />
      </div>
    </ProgressProvider>
  );
}
