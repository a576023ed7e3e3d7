import { EmailMessage } from '@quire/queue';
import { renderMail } from './mail-templates';

const expiresAt = '2030-01-15T11:00:00Z'; // 12:00 in Amsterdam, where dates in mail are shown

function invitation(locale: 'nl' | 'en', overrides: Partial<Extract<EmailMessage, { template: 'invitation' }>> = {}): EmailMessage {
  return { template: 'invitation', to: 'anne@example.org', locale, projectTitle: 'Ambtenaren!', inviterName: 'Bea de Vries', acceptUrl: 'https://quire.test/invitation/abc', expiresAt, ...overrides };
}

function passwordReset(locale: 'nl' | 'en', overrides: Partial<Extract<EmailMessage, { template: 'password-reset' }>> = {}): EmailMessage {
  return { template: 'password-reset', to: 'anne@example.org', locale, displayName: 'Anne', resetUrl: 'https://quire.test/reset-password/xyz', expiresAt, ...overrides };
}

describe('mail templates', () => {
  it.each([
    { locale: 'nl', message: invitation('nl'), subject: 'Uitnodiging: schrijf mee aan Ambtenaren!', lines: ['Bea de Vries nodigt je uit voor Ambtenaren!', 'geldig tot 15 januari 2030 om 12:00', 'Uitnodiging aannemen: https://quire.test/invitation/abc'] },
    { locale: 'en', message: invitation('en'), subject: 'Invitation: help make Ambtenaren!', lines: ['Bea de Vries invites you to Ambtenaren!', 'valid until 15 January 2030 at 12:00', 'Accept the invitation: https://quire.test/invitation/abc'] },
    { locale: 'nl', message: passwordReset('nl'), subject: 'Nieuw wachtwoord instellen voor Quire', lines: ['Hallo Anne,', 'tot 15 januari 2030 om 12:00', 'Nieuw wachtwoord instellen: https://quire.test/reset-password/xyz'] },
    { locale: 'en', message: passwordReset('en'), subject: 'Set a new password for Quire', lines: ['Hello Anne,', 'until 15 January 2030 at 12:00', 'Set a new password: https://quire.test/reset-password/xyz'] },
  ])('renders $message.template in $locale', ({ locale, message, subject, lines }) => {
    const mail = renderMail(message);
    expect(mail.to).toBe('anne@example.org');
    expect(mail.subject).toBe(subject);
    for (const line of lines) expect(mail.text).toContain(line);
    expect(mail.html).toContain(`<html lang="${locale}">`);
    expect(mail.html).toContain(`href="${message.template === 'invitation' ? message.acceptUrl : message.resetUrl}"`);
  });

  it('escapes what people typed in the HTML part and leaves the text part as typed', () => {
    const mail = renderMail(invitation('en', { projectTitle: '<script>alert("x")</script> & Co', inviterName: "O'Brien <b>", acceptUrl: 'https://quire.test/invitation/abc?a=1&b="2"' }));

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('O&#39;Brien &#60;b&#62; invites you to &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; Co');
    expect(mail.html).toContain('href="https://quire.test/invitation/abc?a=1&#38;b=&#34;2&#34;"');
    expect(mail.text).toContain(`O'Brien <b> invites you to <script>alert("x")</script> & Co`);
    expect(mail.subject).toBe('Invitation: help make <script>alert("x")</script> & Co');
  });

  it('escapes the name in a password reset', () => {
    const mail = renderMail(passwordReset('nl', { displayName: '<img src=x onerror=alert(1)>' }));
    expect(mail.html).toContain('Hallo &#60;img src=x onerror=alert(1)&#62;,');
    expect(mail.html).not.toContain('<img');
  });
});
