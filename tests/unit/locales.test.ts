// Everything the hotline says exists in both languages, with the same placeholders: a key missing
// from either locale, or a {{variable}} one side forgets, fails here rather than in a chat.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { LOCALES_DIR, readNamespace } from '../../src/i18n';

function flatten(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') out.set(prefix, node);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) for (const [key, text] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(key, text);
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const namespaces = (locale: string) => readdirSync(path.join(LOCALES_DIR, locale)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

describe('locales', () => {
  it('has the same namespaces in vi and en', () => {
    expect(namespaces('en')).toEqual(namespaces('vi'));
  });

  it.each(namespaces('vi'))('%s: every key in both languages, with the same placeholders and no empty text', (ns) => {
    const vi = flatten(readNamespace('vi', ns));
    const en = flatten(readNamespace('en', ns));
    expect([...en.keys()].sort()).toEqual([...vi.keys()].sort());
    for (const [key, text] of vi) {
      expect({ key, vi: placeholders(text) }).toEqual({ key, vi: placeholders(en.get(key) ?? '') });
      expect({ key, empty: text.trim() === '' || (en.get(key) ?? '').trim() === '' }).toEqual({ key, empty: false });
    }
  });
});
