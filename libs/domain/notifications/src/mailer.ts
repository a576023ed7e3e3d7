import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import { RenderedMail } from './mail-templates';

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  /** Without SMTP, messages are written here as .eml files, so a laptop install can follow links. */
  outboxDir: string;
  log: (line: string) => void;
}

/**
 * A send runs inside the job's transaction and holds its lock: a server that does not answer
 * fails the attempt in seconds (nodemailer's defaults wait up to 10 minutes) and BullMQ retries.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly options: MailerOptions) {
    this.transport = options.smtpUrl
      ? nodemailer.createTransport({ url: options.smtpUrl, ...SMTP_TIMEOUTS })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: RenderedMail, messageId: string): Promise<void> {
    const info = await this.transport.sendMail({
      from: this.options.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // A stable Message-ID lets a receiving server drop the copy of a retried send.
      messageId: `<${messageId}@quire>`,
    });
    if (!this.options.smtpUrl) {
      mkdirSync(this.options.outboxDir, { recursive: true });
      const file = join(this.options.outboxDir, `${messageId}.eml`);
      writeFileSync(file, (info as unknown as { message: Buffer }).message);
      this.options.log(`No SMTP_URL set: e-mail to ${mail.to} ("${mail.subject}") written to ${file}`);
    }
  }

  close(): void {
    this.transport.close();
  }
}
