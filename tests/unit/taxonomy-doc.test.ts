// docs/taxonomy.md describes the labels the code defines and the agencies the demo rules choose;
// this keeps the two from drifting apart, and the links to it from breaking.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { INTENTS, TOPICS } from '../../src/classify/taxonomy';
import { DEMO_AGENCIES, DEMO_ROUTING_RULES } from '../../src/seed/demo-data';

const root = path.resolve(__dirname, '../..');
const doc = readFileSync(path.join(root, 'docs/taxonomy.md'), 'utf8');
/** The table row of a label: "| `id` | covers | …". */
const row = (label: string) => doc.split('\n').filter((line) => line.startsWith(`| \`${label}\` |`));

describe('docs/taxonomy.md', () => {
  it('has one row for every intent and every topic, and no others', () => {
    for (const label of [...INTENTS, ...TOPICS]) expect(row(label)).toHaveLength(1);
    const documented = doc.split('\n').flatMap((line) => /^\| `([a-z_]+)` \|/.exec(line)?.[1] ?? []);
    expect(documented.filter((l) => !['urgent', 'normal', 'complex'].includes(l)).sort()).toEqual([...INTENTS, ...TOPICS].sort());
  });

  it('names the agency the demo routing rules give each topic', () => {
    const name = (slug: string) => DEMO_AGENCIES.find((a) => a.slug === slug)!.name;
    for (const rule of DEMO_ROUTING_RULES) {
      if (!rule.topic) continue;
      const agency = DEMO_AGENCIES.find((a) => a.slug === rule.agency)!;
      const expected = agency.isTriage ? 'triage inbox' : rule.area ? rule.area : name(rule.agency);
      expect(row(rule.topic)[0]).toContain(expected);
    }
    const press = DEMO_ROUTING_RULES.find((r) => r.intent === 'press')!;
    expect(doc).toContain(`a \`press\` message goes to **${name(press.agency)}**`);
  });

  it('is linked from the README and the corpus README', () => {
    for (const [file, link] of [
      ['README.md', 'docs/taxonomy.md'],
      ['src/classify/corpus/README.md', '../../../docs/taxonomy.md'],
    ] as const) {
      expect(readFileSync(path.join(root, file), 'utf8')).toContain(`](${link})`);
      expect(existsSync(path.resolve(root, path.dirname(file), link))).toBe(true);
    }
  });
});
