// Staff notifications by e-mail (SMTP_URL, from SMTP_FROM), for those who turned it on. Each
// e-mail is an outbox row written with the notification (src/notifications/notify.ts) and sent by
// a worker, with the queue's retries: a slow or unreachable mail server delays only the e-mail.
import nodemailer from 'nodemailer';
import type { Db } from '../db/database';
import type { Translator } from '../i18n';
import { isLocale } from '../i18n';
import { notificationTitle } from './notify';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** How long one SMTP exchange may take before the attempt fails and is retried later. */
const SMTP_TIMEOUT_MS = 15_000;

export function createMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(
    { url, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS },
    { from },
  );
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}

/** Where the e-mail sends the reader: the ticket in the console. */
export const consoleTicketUrl = (publicUrl: string, code: string) => `${publicUrl}/console/tickets/${encodeURIComponent(code)}`;

/**
 * The e-mail of one notification, in its reader's language; null when there is nothing to send
 * any more (the notification is gone, already e-mailed, or its reader turned e-mails off).
 */
export async function notificationMail(db: Db, translator: Translator, publicUrl: string, notificationId: string): Promise<Mail | null> {
  const n = await db.notification.findUnique({
    where: { id: notificationId },
    include: { staffUser: true, ticket: { select: { trackingCode: true, summary: true } } },
  });
  if (!n || n.emailedAt || !n.staffUser.active || !n.staffUser.emailNotifications) return null;
  const locale = isLocale(n.staffUser.locale) ? n.staffUser.locale : 'vi';
  const title = notificationTitle(translator, locale, n);
  return {
    to: n.staffUser.email,
    subject: translator.t(locale, 'console:email.subject', { title }),
    text: translator.t(locale, 'console:email.body', { title, url: consoleTicketUrl(publicUrl, n.ticket.trackingCode) }),
  };
}
