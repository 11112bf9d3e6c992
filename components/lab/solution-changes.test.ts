import { describe, expect, it } from 'vitest';
import { FilesError } from './files-client';
import { solutionChanges } from './solution-changes';

/** A workspace of text files; a value that is an error is what reading that path throws. */
function reader(workspace: Record<string, string | FilesError | Error>) {
  const asked: string[] = [];
  const read = async (path: string) => {
    asked.push(path);
    const found = workspace[path];
    if (found === undefined) throw new FilesError('FILE_NOT_FOUND', `'${path}' does not exist.`, 404);
    if (found instanceof Error) throw found;
    return { content: found };
  };
  return { read, asked };
}

describe('solutionChanges', () => {
  it('sorts the solution’s files into replaced, added and unchanged', async () => {
    const { read, asked } = reader({
      'train.py': 'import random\n',
      'params.yaml': 'seed: 42\n',
      'data/big.bin': new FilesError('BINARY_FILE', 'binary', 415),
    });
    const files = [
      { path: 'train.py', content: 'import random\nrandom.seed(42)\n' },
      { path: 'requirements.txt', content: 'scikit-learn==1.5.2\n' },
      { path: 'params.yaml', content: 'seed: 42\n' },
      { path: 'data/big.bin', content: 'text now' },
    ];

    await expect(solutionChanges(files, read)).resolves.toEqual({
      replaces: ['train.py', 'data/big.bin'],
      adds: ['requirements.txt'],
      unchanged: ['params.yaml'],
    });
    expect(asked).toEqual(['train.py', 'requirements.txt', 'params.yaml', 'data/big.bin']);
  });

  it('throws when the workspace cannot be read, rather than guessing', async () => {
    const { read } = reader({
      'train.py': new FilesError('NETWORK_ERROR', 'Could not reach the lab runner.', 0),
    });
    await expect(solutionChanges([{ path: 'train.py', content: '' }], read)).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
  });

  it('has nothing to say about a solution without files', async () => {
    await expect(solutionChanges([], reader({}).read)).resolves.toEqual({
      replaces: [],
      adds: [],
      unchanged: [],
    });
  });
});
