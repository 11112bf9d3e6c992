/**
 * Running one stage's command as DVC runs it: through the user's shell (`$SHELL -c`, else
 * `/bin/sh`) in the stage's working directory. Output is passed on line by line as it comes and
 * copied into the stage's log.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export type CommandResult = { exitCode: number; signal?: string };

export type CommandOptions = {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Each line of output, as it comes. */
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  /** The log file's descriptor (the output is copied into it). */
  logFd: number;
};

/** Runs one command line through the shell. */
export function runShellCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  const shell = options.env.SHELL || '/bin/sh';
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', command], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (stream: 'stdout' | 'stderr') => {
      let pending = '';
      child[stream]!.on('data', (chunk: Buffer) => {
        fs.writeSync(options.logFd, chunk);
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) options.onLine(line, stream);
      });
      child[stream]!.on('end', () => {
        if (pending) options.onLine(pending, stream);
        pending = '';
      });
    };
    forward('stdout');
    forward('stderr');
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve(signal ? { exitCode: 128 + (signalNumber(signal) ?? 0), signal } : { exitCode: code ?? 1 });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal];
}
