// Suites that need something a run may not have (a server, a browser) declare it here, so that a
// skipped suite says why: the reason goes into the skipped suite's title, and
// tests/helpers/skip-summary-reporter.js lists the reasons at the end of `npm test`.
import { existsSync } from 'node:fs';
import { usingPostgres } from './databases';

export interface Requirement {
  met: boolean;
  /** Said when the suite is skipped: what is missing and how to provide it. */
  reason: string;
}

export const CHROMIUM = '/usr/bin/chromium';

export const REQUIRES = {
  postgres: {
    met: usingPostgres(),
    reason: 'PostgreSQL suites skipped: set DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run them',
  },
  embedded: {
    met: !usingPostgres(),
    reason: 'embedded-database (PGlite) suites skipped: they run when DATABASE_URL is unset',
  },
  redis: {
    met: Boolean(process.env.REDIS_URL),
    reason: 'Redis suites skipped: set REDIS_URL (e.g. redis://127.0.0.1:6379) to run them',
  },
  chromium: {
    met: existsSync(CHROMIUM),
    reason: `browser suites skipped: ${CHROMIUM} not found (apt-get install chromium)`,
  },
} satisfies Record<string, Requirement>;

/** Met when every one is; the reason names those that are not. */
export function allOf(...requirements: Requirement[]): Requirement {
  const unmet = requirements.filter((r) => !r.met);
  return { met: unmet.length === 0, reason: unmet.map((r) => r.reason).join('; ') };
}

/** Marks a skipped title; the reporter reads the reason back from it. Brackets are not allowed in reasons. */
export const skippedTitle = (title: string, requirement: Requirement) => `${title} [skipped: ${requirement.reason}]`;

/** `describe` when the requirement is met, otherwise a skipped describe that says why. */
export function describeIf(requirement: Requirement, title: string, fn: () => void): void {
  if (requirement.met) describe(title, fn);
  else describe.skip(skippedTitle(title, requirement), fn);
}

/** `it` when the requirement is met, otherwise a skipped test that says why. */
export function itIf(requirement: Requirement, title: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (requirement.met) it(title, fn, timeout);
  else it.skip(skippedTitle(title, requirement), fn, timeout);
}

/** Debian's Chromium, headless, as every browser test drives it. */
export function launchChromium(): Promise<import('playwright-core').Browser> {
  return import('playwright-core').then(({ chromium }) =>
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    }),
  );
}
