import { EmailMessage, Locale } from '@quire/queue';

export interface RenderedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(new Date(iso));
}

/** A plain layout: one heading, paragraphs, one button-like link; readable as text too. */
function layout(lang: Locale, heading: string, paragraphs: string[], link: { label: string; url: string }, footer: string): { text: string; html: string } {
  const text = [heading, '', ...paragraphs.flatMap((p) => [p, '']), `${link.label}: ${link.url}`, '', footer].join('\n');
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;line-height:1.5;max-width:36em">
<h1 style="font-size:1.3em">${escape(heading)}</h1>
${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}
<p><a href="${escape(link.url)}" style="display:inline-block;padding:.6em 1em;background:#154273;color:#fff;text-decoration:none">${escape(link.label)}</a></p>
<p style="color:#555;font-size:.9em">${escape(footer)}</p>
</body></html>`;
  return { text, html };
}

/** Every e-mail Quire sends, in Dutch and English. */
export function renderMail(message: EmailMessage): RenderedMail {
  const nl = message.locale === 'nl';
  switch (message.template) {
    case 'invitation': {
      const expires = formatDate(message.expiresAt, message.locale);
      const subject = nl ? `Uitnodiging: schrijf mee aan ${message.projectTitle}` : `Invitation: help make ${message.projectTitle}`;
      const body = nl
        ? layout('nl', `${message.inviterName} nodigt je uit voor ${message.projectTitle}`, [
            'Samen maken we een boek: we dragen namen voor, stemmen, en schrijven de portretten met elkaar.',
            `Deze uitnodiging is één keer te gebruiken en geldig tot ${expires}.`,
          ], { label: 'Uitnodiging aannemen', url: message.acceptUrl }, 'Verwachtte je deze uitnodiging niet? Dan kun je dit bericht negeren.')
        : layout('en', `${message.inviterName} invites you to ${message.projectTitle}`, [
            'Together we make a book: we nominate people, vote, and write the portraits with each other.',
            `This invitation works once and is valid until ${expires}.`,
          ], { label: 'Accept the invitation', url: message.acceptUrl }, 'Did not expect this invitation? You can ignore this message.');
      return { to: message.to, subject, ...body };
    }
    case 'password-reset': {
      const expires = formatDate(message.expiresAt, message.locale);
      const subject = nl ? 'Nieuw wachtwoord instellen voor Quire' : 'Set a new password for Quire';
      const body = nl
        ? layout('nl', `Hallo ${message.displayName},`, [
            'Iemand heeft gevraagd om een nieuw wachtwoord voor je Quire-account.',
            `De link werkt één keer en tot ${expires}.`,
          ], { label: 'Nieuw wachtwoord instellen', url: message.resetUrl }, 'Heb je dit niet gevraagd? Dan hoef je niets te doen; je wachtwoord blijft hetzelfde.')
        : layout('en', `Hello ${message.displayName},`, [
            'Someone asked for a new password for your Quire account.',
            `The link works once and until ${expires}.`,
          ], { label: 'Set a new password', url: message.resetUrl }, 'Did not ask for this? Then there is nothing to do; your password stays the same.');
      return { to: message.to, subject, ...body };
    }
  }
}
