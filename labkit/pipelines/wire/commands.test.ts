import { describe, expect, it } from 'vitest';
import { projectShellPath, reproCommand, shellWord } from './commands';

describe('the commands the Pipelines tab types', () => {
  it('runs the pipeline, a stage with what it needs, or a stage alone', () => {
    expect(reproCommand({ kind: 'pipeline' })).toBe('labkit pipeline repro');
    expect(reproCommand({ kind: 'upTo', stage: 'train' })).toBe('labkit pipeline repro train');
    expect(reproCommand({ kind: 'only', stage: 'sub/dvc.yaml:eval@us' })).toBe(
      'labkit pipeline repro -s sub/dvc.yaml:eval@us',
    );
  });

  it('quotes a stage name the shell would read otherwise', () => {
    expect(shellWord('train@0')).toBe('train@0');
    expect(shellWord('eval@new york')).toBe("'eval@new york'");
    expect(shellWord("it's; rm -rf ~")).toBe("'it'\\''s; rm -rf ~'");
    expect(shellWord('$(id)')).toBe("'$(id)'");
  });

  it('names the folder a project’s commands run in, as the prompt shows it', () => {
    expect(projectShellPath('.')).toBe('~/work');
    expect(projectShellPath('labs/a')).toBe('~/work/labs/a');
  });
});
