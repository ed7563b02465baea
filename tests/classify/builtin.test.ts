import { classifyText, createBuiltinClassifier } from '../../src/classify/builtin';

// Without a generated model file (a clean clone, jest run directly) the first use trains the model.
const FIRST_USE_TIMEOUT_MS = 120_000;

describe('built-in classifier', () => {
  it('answers through the Classifier interface, with entities', async () => {
    const classifier = await createBuiltinClassifier();
    const result = await classifier.classify('Mã HCM-26-7K3QD xử lý tới đâu rồi ạ?');
    expect(result.source).toBe('builtin');
    expect(result.entities.trackingCodes).toEqual(['HCM-26-7K3QD']);
    expect(result.confidence).toBe(Math.min(result.intentConfidence, result.topicConfidence));
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  }, FIRST_USE_TIMEOUT_MS);

  it('gives the same labels with or without diacritics on a plain message', () => {
    const accented = classifyText('Khu phố tôi bị cúp điện từ sáng tới giờ chưa có điện lại');
    const plain = classifyText('khu pho toi bi cup dien tu sang toi gio chua co dien lai');
    expect([plain.intent, plain.topic]).toEqual([accented.intent, accented.topic]);
  });

  it.each(['', '   \n\t '])('labels empty input %j other/general with low confidence', (text) => {
    const result = classifyText(text);
    expect(result).toMatchObject({ intent: 'other', topic: 'general', source: 'builtin' });
    expect(result.confidence).toBeLessThan(0.2);
  });

  // How fast is measured by npm run bench (hundredThousandCharsMs), never by a timed assertion.
  it('classifies a 100,000-character message', () => {
    const huge = 'Đèn đường trước số 12 Lê Lợi bị hỏng, gọi 0901234567. '.repeat(2000).slice(0, 100_000);
    const result = classifyText(huge);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.entities.phones).toEqual(['0901234567']);
  });
});
