// Jest reporter: after the summary, says which tests were skipped and why. Suites declare what
// they need through tests/helpers/requires.ts, which puts "[skipped: <reason>]" in a skipped
// suite's or test's title. Plain CommonJS: jest loads reporters without transforming them.
const path = require('node:path');

const MARK = /\[skipped: ([^\]]+)\]/;

class SkipSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    /** reason → (file → count) */
    const byReason = new Map();
    let unexplained = 0;
    for (const file of results.testResults) {
      const relative = path.relative(this.rootDir, file.testFilePath);
      for (const test of file.testResults) {
        if (test.status !== 'pending' && test.status !== 'skipped') continue;
        const reason = [...test.ancestorTitles, test.title].map((t) => MARK.exec(t)?.[1]).find(Boolean);
        if (!reason) {
          unexplained++;
          continue;
        }
        const files = byReason.get(reason) ?? new Map();
        files.set(relative, (files.get(relative) ?? 0) + 1);
        byReason.set(reason, files);
      }
    }
    if (byReason.size === 0 && unexplained === 0) return;
    const lines = ['', 'Skipped tests:'];
    for (const [reason, files] of byReason) {
      const count = [...files.values()].reduce((a, b) => a + b, 0);
      const where = [...files].map(([f, n]) => `${f} (${n})`).join(', ');
      lines.push(`  ${count} — ${reason}`, `      ${where}`);
    }
    if (unexplained > 0) lines.push(`  ${unexplained} — skipped with it.skip/describe.skip, or not selected by -t / a path filter`);
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

module.exports = SkipSummaryReporter;
