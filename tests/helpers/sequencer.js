// Test order: the longest files first, so neither of the two workers is left with a long file at
// the end while the other idles. Jest does this by itself from the durations of the previous run
// in its cache; a fresh clone (CI) has none, and jest then orders by file size, which puts short
// files with long stories first and the long ones (child processes, browsers, restarts) anywhere.
// So without a cached duration a file counts as its entry below (seconds, roughly what it took on
// 2 busy cores), or as a typical file. Failed files of the previous run still go first.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const TYPICAL_SECONDS = 8;
/** Files that take far longer than a typical one; keep to the slowest (about a fifth of the suite). */
const KNOWN_SECONDS = {
  'tests/browser/console-pages.test.ts': 80,
  'tests/browser/console.test.ts': 60,
  'tests/press/telegram.test.ts': 40,
  'tests/bench/progress.test.ts': 30,
  'tests/work/shutdown.test.ts': 55,
  'tests/browser/embed.test.ts': 45,
  'tests/work/conversation-order.test.ts': 38,
  'tests/classify/training.test.ts': 37,
  'tests/work/crash-recovery.test.ts': 33,
  'tests/browser/widget.test.ts': 33,
  'tests/browser/widget-channels.test.ts': 30,
  'tests/channels/zalo-oa/tokens-restart.test.ts': 30,
  'tests/press/announcements.test.ts': 30,
  'tests/work/faults.test.ts': 29,
  'tests/stories/intake.telegram.test.ts': 28,
  'tests/stories/intake.webchat.test.ts': 22,
  'tests/webchat/redis-outage.test.ts': 27,
  'tests/limits/http-limits.test.ts': 25,
  'tests/db/migrator.test.ts': 20,
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
