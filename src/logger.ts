// The process's logger: coloured, one readable line per event when a person watches a terminal
// (pino-pretty), JSON lines otherwise, for log collectors. LOG_FORMAT overrides the guess.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/** The format to write: LOG_FORMAT when set, else pretty only when stdout is a terminal. */
export function chooseLogFormat(setting: LogFormat | undefined, stdoutIsTty: boolean): LogFormat {
  return setting ?? (stdoutIsTty ? 'pretty' : 'json');
}

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  /** Where lines go; stdout by default (tests pass a stream). */
  destination?: NodeJS.WritableStream;
  /** Colours in pretty lines; by default when the destination is a terminal. */
  colorize?: boolean;
}

export function createLogger(opts: LoggerOptions): Logger {
  if (opts.format === 'json') {
    return opts.destination ? pino({ level: opts.level }, opts.destination) : pino({ level: opts.level });
  }
  // In-process stream rather than a transport worker: nothing to start or flush, and the lines are
  // written synchronously, so a crash right after a log call still shows it.
  const stream = pretty({
    destination: opts.destination ?? 1,
    colorize: opts.colorize ?? Boolean(opts.destination ? (opts.destination as { isTTY?: boolean }).isTTY : process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    // One line per event; fastify's request objects shrink to "GET /t/… → 404".
    singleLine: true,
    ignore: 'pid,hostname,req,res',
    messageFormat: '{msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} → {res.statusCode}{end}',
    sync: true,
  });
  return pino({ level: opts.level }, stream);
}
