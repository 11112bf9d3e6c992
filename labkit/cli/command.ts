/**
 * Plumbing shared by the `labkit runs` and `labkit models` command groups: picking the
 * subcommand, `--help`, reading options, and turning every failure into a message that says what
 * to do plus an exit code (0 ok, 1 the server is unreachable or something was not found, 2 the
 * command line is wrong).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, UsageError, type CliIo } from './io';
import { TrackingApiError, TrackingUnavailableError } from './tracking-client';

export type Subcommand = {
  /** Its usage text, printed for `--help` and after a usage error. */
  usage: string;
  run: (args: string[], io: CliIo) => Promise<number>;
};

export type CommandGroup = {
  name: string;
  summary: string;
  usage: string;
  subcommands: Record<string, Subcommand>;
};

const exitCodesNote =
  'Exit status: 0 done, 1 the tracking server is not answering or something was not found, 2 the command line is wrong.';

export function isHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** Runs `labkit <group> <subcommand> …`, mapping every expected failure to a message and exit code. */
export async function runGroup(group: CommandGroup, args: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = args;
  const groupUsage = `${group.usage}\n\n${exitCodesNote}`;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) io.out(groupUsage);
    else io.err(groupUsage);
    return name ? 0 : 2;
  }
  const subcommand = Object.hasOwn(group.subcommands, name) ? group.subcommands[name] : undefined;
  if (!subcommand) {
    io.err(`labkit ${group.name}: there is no "${name}" subcommand.\n\n${groupUsage}`);
    return 2;
  }
  if (isHelp(rest)) {
    io.out(`${subcommand.usage}\n\n${exitCodesNote}`);
    return 0;
  }
  const label = `labkit ${group.name} ${name}`;
  try {
    return await subcommand.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${label}: ${error.message}\n\n${subcommand.usage}`);
      return 2;
    }
    if (error instanceof CliError) {
      io.err(`${label}: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof TrackingUnavailableError) {
      io.err(`${label}: ${error.message}`);
      return 1;
    }
    if (error instanceof TrackingApiError) {
      // The server refuses what the learner typed (a filter, an alias): theirs to fix, hence 2.
      io.err(`${label}: ${error.message}`);
      if (error.isInvalidRequest) {
        io.err(`(Run \`${label} --help\` for the options and examples.)`);
        return 2;
      }
      return 1;
    }
    throw error;
  }
}

/** `node:util` parseArgs, strict, with its errors turned into usage errors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split('. To specify a positional argument')[0] ?? '';
    throw new UsageError(message.endsWith('.') ? message : `${message}.`);
  }
}

/** A positive whole number from an option, or a usage error naming the option. */
export function positiveInteger(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${option} takes a whole number of at least 1, not "${value}".`);
  }
  return number;
}
