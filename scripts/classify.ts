// Classifies with the built-in model.
//   npm run classify -- --jsonl < in.jsonl > out.jsonl   JSON lines with "text" in, the same lines out
//                                                        with intent, topic, confidence; exit 1 if any line was bad
//   npm run classify -- "đèn đường hư" "..."            one full result (with entities) per argument
import { classifyText } from '../src/classify/builtin';
import { classifyJsonLines } from '../src/classify/jsonl';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--jsonl')) {
    const failed = await classifyJsonLines(process.stdin, process.stdout, process.stderr, classifyText);
    return failed > 0 ? 1 : 0;
  }
  if (args.length === 0) {
    console.error('usage: npm run classify -- --jsonl < messages.jsonl   or   npm run classify -- "message" ...');
    return 2;
  }
  for (const text of args) console.log(JSON.stringify({ text, ...classifyText(text) }));
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});
