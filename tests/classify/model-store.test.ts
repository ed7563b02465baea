// The generated model file is used while it matches the corpus, and rebuilt when it does not.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadModel } from '../../src/classify/model-store';

const LINES = [
  { text: 'Đèn đường trước nhà bị hỏng', intent: 'feedback', topic: 'urban_infrastructure' },
  { text: 'đèn đường hỏng mấy hôm rồi', intent: 'feedback', topic: 'urban_infrastructure' },
  { text: 'Cho hỏi làm căn cước ở đâu?', intent: 'question', topic: 'residence_identity' },
  { text: 'cho hỏi làm hộ chiếu ở đâu?', intent: 'question', topic: 'residence_identity' },
  { text: 'Xin chào', intent: 'other', topic: 'general' },
  { text: 'cảm ơn nhiều', intent: 'other', topic: 'general' },
];

describe('model file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hotline-model-'));
    writeFileSync(path.join(dir, 'a.jsonl'), LINES.map((l) => JSON.stringify(l)).join('\n'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is trained and written when missing, then read while the corpus is unchanged', () => {
    const file = path.join(dir, 'generated', 'model.json');
    expect(loadModel(file, dir).origin).toBe('trained');
    expect(loadModel(file, dir).origin).toBe('file');
  });

  it('is rebuilt when the corpus changes, and when it is damaged', () => {
    const file = path.join(dir, 'model.json');
    loadModel(file, dir);
    writeFileSync(path.join(dir, 'b.jsonl'), JSON.stringify({ text: 'mất nước', intent: 'feedback', topic: 'water_supply' }));
    expect(loadModel(file, dir).origin).toBe('trained');
    writeFileSync(file, '{"stamp": ');
    expect(loadModel(file, dir).origin).toBe('trained');
  });

  it('reports skipped corpus lines', () => {
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"text": "x", "intent": "nope", "topic": "general"}\nnot json\n');
    expect(loadModel(path.join(dir, 'model.json'), dir).problems).toEqual([
      'bad.jsonl:1: unknown intent "nope"',
      'bad.jsonl:2: not valid JSON',
    ]);
  });
});
