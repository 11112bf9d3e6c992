/** Runs the subcommand named by the first argument; prints usage (exit 2) or the failure (exit 1). */
export async function runSubcommand(script: string, commands: Record<string, () => unknown>): Promise<void> {
  const action = commands[process.argv[2] ?? ''];
  if (!action) {
    console.error(`Usage: tsx ${script} <${Object.keys(commands).join('|')}>`);
    process.exit(2);
  }
  try {
    await action();
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(1);
  }
}
