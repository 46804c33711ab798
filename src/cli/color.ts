/**
 * Whether output gets ANSI colours: FORCE_COLOR wins (`0` or `false` turns colour off), then
 * NO_COLOR (any non-empty value) turns it off, then colour exactly when stdout is a terminal.
 */
export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return isTTY === true;
}
