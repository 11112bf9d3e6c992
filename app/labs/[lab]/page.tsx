import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LabWorkspace } from '@/components/lab/LabWorkspace';
import { MdxContent } from '@/components/mdx/MdxContent';
import { getChapters } from '@/lib/content/course';
import { getCompiledSteps, getLab, getLabs } from '@/lib/labs/catalog';

type Params = { lab: string };

export const dynamicParams = false;

export function generateStaticParams(): Params[] {
  return getLabs().map((lab) => ({ lab: lab.id }));
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const lab = getLab((await params).lab);
  return lab ? { title: `Lab: ${lab.title}`, description: lab.summary } : {};
}

/** The lab workspace. The page is static; the learner's sandbox and progress load in the browser. */
export default async function LabPage({ params }: { params: Promise<Params> }) {
  const lab = getLab((await params).lab);
  if (!lab) notFound();
  const chapter = getChapters().find((c) => c.slug === lab.chapter);
  const steps = await getCompiledSteps(lab);
  return (
    <LabWorkspace
      labId={lab.id}
      title={lab.title}
      chapter={{ slug: lab.chapter, title: chapter?.title ?? lab.chapter }}
      minutes={lab.minutes}
      openFiles={lab.open}
      services={lab.services}
      steps={steps.map((step) => ({
        id: step.id,
        title: step.title,
        hints: step.hints,
        autoCheck: step.autoCheck,
        solutionPaths: step.solutionPaths,
        body: <MdxContent code={step.code} />,
      }))}
    />
  );
}
