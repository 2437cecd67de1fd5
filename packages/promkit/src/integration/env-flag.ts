/** The words promkit's boolean environment variables accept (case-insensitive), as Dynamo's do. */
export const TRUE_WORDS: readonly string[] = ['true', '1', 'on', 'yes'];
export const FALSE_WORDS: readonly string[] = ['false', '0', 'off', 'no'];

/** A boolean variable: unset or empty is false; anything unknown is reported in `problems` and read as false. */
export function envFlag(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '' || FALSE_WORDS.includes(text)) return false;
  if (TRUE_WORDS.includes(text)) return true;
  problems.push(`${name}=${JSON.stringify(env[name])} is not a boolean (${TRUE_WORDS.join(', ')} / ${FALSE_WORDS.join(', ')}); using false`);
  return false;
}
