import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMdx } from './compile';
import { ContentError } from '@/lab-runner/api/content-error';

const file = 'content/chapters/01-test.mdx';
const absolutePath = path.join(process.cwd(), file);

function source(body: string): string {
  return `---\ntitle: Test\n---\n\n${body}\n`;
}

const validQuiz = `\`\`\`quiz
id: test-quiz
questions:
  - id: first
    prompt: Which one is right?
    choices:
      - text: This one
        correct: true
      - text: That one
        why: It is the other one.
    explanation: The first choice is the right one because the test says so.
\`\`\``;

async function compileError(body: string): Promise<ContentError> {
  try {
    await compileMdx({ source: source(body), file, absolutePath });
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return error as ContentError;
  }
  throw new Error('expected compileMdx to fail');
}

describe('compileMdx', () => {
  it('builds a table of contents from h2 and h3 headings with stable ids', async () => {
    const { toc } = await compileMdx({
      source: source('## Why *it* matters\n\nText.\n\n### A detail\n\nMore.\n\n#### Too deep\n'),
      file,
      absolutePath,
    });
    expect(toc).toEqual([
      { id: 'why-it-matters', text: 'Why it matters', depth: 2 },
      { id: 'a-detail', text: 'A detail', depth: 3 },
    ]);
  });

  it('turns mermaid blocks into diagrams and quiz blocks into validated quizzes', async () => {
    const compiled = await compileMdx({
      source: source(`\`\`\`mermaid\nflowchart LR\n  A --> B\n\`\`\`\n\n${validQuiz}`),
      file,
      absolutePath,
    });
    expect(compiled.diagrams).toEqual(['flowchart LR\n  A --> B']);
    expect(compiled.quizzes).toHaveLength(1);
    expect(compiled.quizzes[0]?.questions[0]?.choices[0]?.correct).toBe(true);
    expect(compiled.quizzes[0]?.title).toBe('Check your understanding');
    expect(compiled.code).toContain('Mermaid');
    expect(compiled.code).toContain('Quiz');
  });

  it('highlights code blocks at build time in a light and a dark theme', async () => {
    const { code } = await compileMdx({
      source: source('```python\nimport numpy as np\nprint(np.zeros(3))\n```'),
      file,
      absolutePath,
    });
    expect(code).toContain('--shiki-dark');
    expect(code).toContain('language-python');
  });

  it('renders GFM tables', async () => {
    const { code } = await compileMdx({ source: source('| a | b |\n|---|---|\n| 1 | 2 |'), file, absolutePath });
    expect(code).toMatch(/table/);
  });

  it('rejects a single-choice question with two correct answers, naming the field and line', async () => {
    const error = await compileError(validQuiz.replace('why: It is the other one.', 'correct: true'));
    expect(error.field).toBe('quiz.questions.0.choices');
    expect(error.message).toMatch(/01-test\.mdx: field "quiz\.questions\.0\.choices": line 5: needs exactly one choice/);
  });

  it('rejects a question without an explanation', async () => {
    const error = await compileError(validQuiz.replace(/ {4}explanation: .*\n/, ''));
    expect(error.field).toBe('quiz.questions.0.explanation');
  });

  it('rejects a quiz block that is not valid YAML', async () => {
    const error = await compileError('```quiz\nid: [broken\n```');
    expect(error.message).toMatch(/field "quiz": line 5: not valid YAML/);
  });

  it('reports MDX syntax errors with the line number', async () => {
    const error = await compileError('Some text\n\n<Callout type="note">\n\nnever closed\n');
    expect(error.file).toBe(file);
    expect(error.message).toMatch(/01-test\.mdx: line 7: .*closing tag for `<Callout>`/);
  });
});
