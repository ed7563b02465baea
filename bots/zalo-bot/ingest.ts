// One path from a Zalo Bot update to a stored message, shared by the webhook and long polling so
// both behave the same: parse, read a numbered reply as the choice it picks, store once.
import type { Logger } from 'pino';
import type { ChannelInbox } from '../../src/channels/types';
import type { Db } from '../../src/db/database';
import { choiceReader } from '../../src/channels/choices';
import { parseUpdate, ZALO_BOT_EVENTS, type ParsedUpdate } from './protocol';

export type IngestOutcome =
  | { kind: 'stored'; duplicate: boolean; messageId: string }
  | { kind: 'ignored'; event: string; reason: string }
  | { kind: 'malformed'; reason: string };

export interface IngestDeps {
  db: Db;
  inbox: ChannelInbox;
  log: Logger;
}

export class ZaloBotIngest {
  constructor(private readonly deps: IngestDeps) {}

  /** Parses without storing, so a body with a bad update is refused before anything is stored. */
  parse(update: unknown): ParsedUpdate {
    return parseUpdate(update);
  }

  /** Stores a parsed update; rejects when it could not be stored (the platform must deliver it again). */
  async store(parsed: ParsedUpdate): Promise<IngestOutcome> {
    if (parsed.kind === 'malformed') {
      this.deps.log.warn({ reason: parsed.reason }, 'Zalo Bot update is malformed; not stored');
      return parsed;
    }
    if (parsed.kind === 'ignored') {
      this.deps.log.info({ event: parsed.event, reason: parsed.reason }, 'Zalo Bot update not stored');
      return parsed;
    }
    const { inbound } = parsed;
    // A number or a label typed out picks from the choices we listed last (read as the message is stored).
    const readChoice = parsed.event === ZALO_BOT_EVENTS.text ? choiceReader(inbound.text) : undefined;
    const { duplicate, messageId } = await this.deps.inbox.receive(inbound, { readChoice });
    if (duplicate) this.deps.log.info({ externalId: inbound.externalId }, 'Zalo Bot message delivered again; stored once');
    return { kind: 'stored', duplicate, messageId };
  }
}
