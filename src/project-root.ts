// Where the project's own files are (locales, migrations, the corpus, the built console), for the
// code that reads them at run time. That code runs from its source under src/ (tsx, jest) or
// bundled into dist/main.js (`npm start`, scripts/build-server.cjs); both folders sit directly
// under the project's root, so this one path is right in both, whichever module asks. A module's
// own __dirname is not: in the bundle every module's is dist/.
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** A path inside the project, e.g. inProject('locales'). */
export const inProject = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
