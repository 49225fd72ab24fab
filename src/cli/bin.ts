/** Entry point of the `tfjs-imbalanced` command (bin/tfjs-imbalanced.js loads the built copy of this file). */
import {main} from './main';

main(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tfjs-imbalanced: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
