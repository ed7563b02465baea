// Test order: the longest files first, so no worker is left with a long file at the end while
// the others idle. Jest does this by itself from the durations of the previous run in its cache;
// a fresh clone (CI) has none, and jest then orders by file size, which puts short files with long
// stories first and the long ones (child processes, browsers, restarts) anywhere. So without a
// cached duration a file counts as its entry below (seconds it took in a whole-suite run on 2
// cores, three files at a time), or as a typical file. Failed files of the previous run go first.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const TYPICAL_SECONDS = 8;
/** Files that take far longer than a typical one; keep to the slowest (about a fifth of the suite). */
const KNOWN_SECONDS = {
  'tests/browser/console-pages.test.ts': 58,
  'tests/browser/console.test.ts': 50,
  'tests/browser/widget.test.ts': 36,
  'tests/press/telegram.test.ts': 29,
  'tests/work/crash-recovery.test.ts': 28,
  'tests/stories/intake.telegram.test.ts': 24,
  'tests/work/faults.test.ts': 20,
  'tests/stories/intake.webchat.test.ts': 19,
  'tests/press/announcements.test.ts': 18,
  'tests/work/shutdown.test.ts': 17,
  'tests/bench/progress.test.ts': 15,
  'tests/knowledge/seed.test.ts': 15,
  'tests/channels/telegram/delivery.test.ts': 14,
  'tests/webchat/redis-outage.test.ts': 14,
  'tests/console/admin.test.ts': 14,
  'tests/work/conversation-order.test.ts': 13,
  'tests/console/auth.test.ts': 13,
  'tests/console/lifecycle.test.ts': 13,
  'tests/console/ui.test.ts': 12,
};

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const seconds = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached / 1000;
      return KNOWN_SECONDS[path.relative(ROOT, test.path).split(path.sep).join('/')] ?? TYPICAL_SECONDS;
    };
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return seconds(b) - seconds(a) || (a.path < b.path ? -1 : 1);
    });
  }
}

module.exports = SlowFirstSequencer;
