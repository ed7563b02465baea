// Opening a file a person sent (or staff attached), for staff who may see its ticket.
import type { FastifyPluginAsync } from 'fastify';
import { AttachmentUnavailableError, type Attachment } from '../../channels/types';
import { stripDiacritics } from '../../classify/normalize';
import { seesAllTickets } from '../../tickets/actions';
import type { ConsoleApiOptions } from '../options';
import { errorSchema } from '../schemas';

/** Where a console fetches attachment `index` of a message (with its bearer token). */
export const attachmentHref = (messageId: string, index: number) => `/api/messages/${messageId}/attachments/${index}`;

/**
 * Types a browser may show inline from our origin. Anything else (HTML, SVG, scripts a person
 * uploaded as a "document") is served as a download, so it can never run as our page.
 */
const INLINE_TYPES = /^(image\/(jpeg|png|webp|gif|heic)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf)$/;

/** A URL anyone may open (Zalo's CDN, images staff attached to an answer): the console is sent there. */
function publicUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (Vietnamese file names). */
function disposition(kind: 'inline' | 'attachment', name: string | undefined): string {
  if (!name) return kind;
  const ascii = stripDiacritics(name).replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
export const attachmentRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (app, opts) => {
  const { db } = opts;
  app.get<{ Params: { messageId: string; index: number } }>(
    '/messages/:messageId/attachments/:index',
    {
      schema: {
        tags: ['tickets'],
        summary:
          "One attachment of a message in a ticket you may see: the file's bytes (Telegram), or a 302 to its public URL (Zalo, images staff attached); the opening is audited",
        params: {
          type: 'object',
          required: ['messageId', 'index'],
          properties: { messageId: { type: 'string', format: 'uuid' }, index: { type: 'integer', minimum: 0, maximum: 99 } },
        },
        response: {
          200: { description: 'The file', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
          302: { description: 'The public URL of the file, in Location', type: 'null' },
          404: errorSchema,
          422: errorSchema,
          502: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const staff = req.staff!;
      const notFound = () =>
        reply.code(404).send({ error: 'attachment_not_found', message: 'No such attachment in a ticket in your inbox.' });
      const message = await db.message.findUnique({
        where: { id: req.params.messageId },
        select: { id: true, channel: true, attachments: true, conversationId: true, ticketId: true },
      });
      if (!message) return notFound();
      // The same rule as GET /tickets/:code: operators and admins see the whole conversation of a
      // ticket, an agency the messages of its own tickets. 404, not 403, so ids cannot be probed.
      if (!seesAllTickets(staff) && (!staff.agencyId || !message.ticketId)) return notFound();
      const tickets = await db.ticket.findMany({
        where: seesAllTickets(staff) ? { conversationId: message.conversationId } : { id: message.ticketId!, agencyId: staff.agencyId },
        select: { id: true },
      });
      if (tickets.length === 0) return notFound();
      const attachment = ((message.attachments ?? []) as unknown as Attachment[])[req.params.index];
      if (!attachment) return notFound();
      if (!attachment.url) {
        return reply.code(404).send({ error: 'no_file', message: `Attachment ${req.params.index} is a ${attachment.type}, not a file.` });
      }

      // Opening a person's photo or document is a view of personal data, audited like the ticket view.
      const ticketId = tickets.find((t) => t.id === message.ticketId)?.id ?? tickets[0]!.id;
      await db.ticketEvent.create({
        data: { ticketId, kind: 'attachment_opened', actorId: staff.id, data: { messageId: message.id, index: req.params.index } },
      });

      // A public URL needs no proxying: the browser fetches it from the platform's CDN itself.
      const url = publicUrl(attachment.url);
      if (url) return reply.redirect(url, 302);

      // Anything else is a private reference that only the channel which stored it can open.
      const owner = opts.channelModule(message.channel);
      if (!owner?.openAttachment) {
        return reply.code(503).send({
          error: 'channel_off',
          message: `This file is kept by the ${message.channel} channel, which is not on in this hotline, so it cannot be fetched now.`,
        });
      }
      let content;
      try {
        content = await owner.openAttachment(attachment.url);
      } catch (err) {
        if (!(err instanceof AttachmentUnavailableError)) throw err;
        const status = { gone: 404, too_large: 422, platform_failed: 502 }[err.reason];
        const error = { gone: 'file_gone', too_large: 'file_too_large', platform_failed: 'platform_failed' }[err.reason];
        req.log.info({ messageId: message.id, index: req.params.index, reason: err.reason }, 'attachment could not be opened');
        return reply.code(status).send({ error, message: err.message });
      }
      if (!content) return notFound();
      const inline = INLINE_TYPES.test(content.contentType);
      // A document's own name ("don-kien-nghi.pdf") beats the platform's (file_9.pdf); "voice" or an emoji does not.
      const name = attachment.type === 'file' && attachment.name ? attachment.name : content.fileName;
      reply
        .header('content-type', inline ? content.contentType : 'application/octet-stream')
        .header('content-disposition', disposition(inline ? 'inline' : 'attachment', name))
        .header('x-content-type-options', 'nosniff')
        // Even an inline file is a person's upload: no scripts, no requests, no form submissions.
        .header('content-security-policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox")
        .header('cache-control', 'private, no-store');
      if (content.size !== undefined) reply.header('content-length', content.size);
      return reply.send(content.body);
    },
  );
};
