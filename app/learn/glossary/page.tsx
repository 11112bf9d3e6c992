import type { Metadata } from 'next';
import Link from 'next/link';
import { getChapters, getGlossary } from '@/lib/content/course';

export const metadata: Metadata = {
  title: 'Glossary',
  description: 'The terms the MLOps course defines, each with the chapter that teaches it.',
};

export default function GlossaryPage() {
  const glossary = getGlossary();
  const chapters = new Map(getChapters().map((chapter) => [chapter.slug, chapter]));
  const byLetter = new Map<string, typeof glossary>();
  for (const term of glossary) {
    const letter = term.term[0]!.toUpperCase();
    byLetter.set(letter, [...(byLetter.get(letter) ?? []), term]);
  }
  return (
    <div className="page glossary">
      <header className="page__header">
        <h1>Glossary</h1>
        <p className="page__lead">
          Every term the course defines, in a sentence or two. Chapters link the first use of each term here.
        </p>
        <nav aria-label="Letters" className="glossary__letters">
          {[...byLetter.keys()].map((letter) => (
            <a key={letter} href={`#letter-${letter}`}>
              {letter}
            </a>
          ))}
        </nav>
      </header>
      {[...byLetter.entries()].map(([letter, terms]) => (
        <section key={letter} aria-labelledby={`letter-${letter}`}>
          <h2 id={`letter-${letter}`} className="glossary__letter">
            {letter}
          </h2>
          <dl className="glossary__list">
            {terms.map((term) => {
              const chapter = chapters.get(term.chapter);
              return (
                <div key={term.id} id={term.id} className="glossary__entry">
                  <dt>{term.term}</dt>
                  <dd>
                    <p>{term.definition}</p>
                    {chapter ? (
                      <p className="glossary__where">
                        Taught in{' '}
                        <Link href={`/learn/${chapter.slug}`}>
                          chapter {chapter.order}, {chapter.title}
                        </Link>
                      </p>
                    ) : null}
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
    </div>
  );
}
