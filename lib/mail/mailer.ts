/**
 * Sending mail through the SMTP server the operator configured (SMTP_* in lib/config.ts), with
 * nodemailer: TLS from the start with SMTP_SECURE, otherwise STARTTLS whenever the server offers
 * it. One connection per mail: the platform sends few (password reset links).
 */
import 'server-only';
import nodemailer from 'nodemailer';
import type { MailConfig } from '@/lib/config';

export type Mail = { to: string; subject: string; text: string };

const connectTimeoutMs = 10_000;
const socketTimeoutMs = 30_000;

export async function sendMail(config: MailConfig, mail: Mail): Promise<void> {
  const password = config.password();
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    auth: config.user ? { user: config.user, pass: password ?? '' } : undefined,
    connectionTimeout: connectTimeoutMs,
    greetingTimeout: connectTimeoutMs,
    socketTimeout: socketTimeoutMs,
  });
  try {
    await transport.sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text });
  } finally {
    transport.close();
  }
}
