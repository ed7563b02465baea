// Classifies with the built-in model.
//   npm run classify -- --jsonl < in.jsonl > out.jsonl   JSON lines with "text" in, the same lines out
//                                                        with intent, topic, confidence; exit 1 if any
//                                                        line was bad or there was no line at all
//   npm run classify -- "đèn đường hư" "..."            one full result (with entities) per argument
import { classifyText } from '../src/classify/builtin';
import { classifyJsonLines } from '../src/classify/jsonl';

const USAGE =
  'usage: npm run classify -- --jsonl < messages.jsonl   (one {"text": "…"} object per line; the lines come back with intent, topic, confidence)\n' +
  '       npm run classify -- "message" ...              (one full result per message)';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const options = args.filter((a) => a.startsWith('--'));
  const unknown = options.filter((a) => a !== '--jsonl');
  if (unknown.length > 0) {
    console.error(`classify: unknown option ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  if (options.length > 0) {
    if (args.length > 1) {
      console.error(`classify: --jsonl reads messages from stdin; it takes no messages as arguments\n${USAGE}`);
      return 2;
    }
    // Typed at a terminal, nothing would seem to happen: say what the command is waiting for.
    if (process.stdin.isTTY) console.error('classify: reading JSON lines from the terminal; end with Ctrl-D (or pipe a file: --jsonl < messages.jsonl)');
    const { classified, failed } = await classifyJsonLines(process.stdin, process.stdout, process.stderr, classifyText);
    if (classified + failed === 0) {
      console.error(`classify: no input lines on stdin\n${USAGE}`);
      return 1;
    }
    return failed > 0 ? 1 : 0;
  }
  if (args.length === 0 || args.some((a) => a.trim() === '')) {
    console.error(`classify: ${args.length === 0 ? 'nothing to classify' : 'an empty message'}\n${USAGE}`);
    return 2;
  }
  for (const text of args) console.log(JSON.stringify({ text, ...classifyText(text) }));
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});
