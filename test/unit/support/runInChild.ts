/**
 * Runs one loop in its own process, for the crash test: the test SIGKILLs this process mid-trial,
 * as a crash of the CLI or VS Code would. Arguments: PACK ENGINE PROPOSAL...
 */
import { runLoop } from '../../../src/core/run/runLoop';

const [pack, engine, ...proposals] = process.argv.slice(2);
void runLoop({
  pack,
  proposals,
  python: 'python3',
  engine: engine as 'pack' | 'native',
  reporter: { line: (t) => console.log(t), output: (c) => process.stdout.write(c), log: () => undefined },
});
