import { Queue } from 'bullmq';
import { ProjectRole } from '@quire/core';
import { outboxIdOf, workerConnection } from '@quire/queue';
import { ReceivedMail, startSmtpServer, startTestApp, TEST_REDIS_URL, TestApp, TestSmtpServer, waitFor } from '@quire/testing';

/** E-mail end to end: GraphQL mutation → outbox → relay → BullMQ → worker → SMTP server. */
describe('e-mail jobs', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let queue: Queue;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ label: 'email', worker: true, env: { SMTP_URL: smtp.url, MAIL_FROM: 'Quire <quire@example.org>' } });
    queue = new Queue('email', { connection: workerConnection(TEST_REDIS_URL), prefix: t.config.redisPrefix });
  });
  afterAll(async () => {
    await queue?.close();
    await t?.close();
    await smtp?.close();
  });

  const mailTo = (address: string): Promise<ReceivedMail> => waitFor(() => smtp.messages.find((m) => m.to.includes(address)), `an e-mail to ${address}`);
  const mailsTo = (address: string): ReceivedMail[] => smtp.messages.filter((m) => m.to.includes(address));
  /** The BullMQ job id a message was sent for: the Message-ID is `<job id@quire>`. */
  const jobIdOf = (mail: ReceivedMail): string => /^<(.+)@quire>$/.exec(mail.messageId)?.[1] ?? '';
  const linkIn = (mail: ReceivedMail, path: string): string => new RegExp(`/${path}/([\\w-]+)`).exec(mail.text)?.[1] ?? '';

  async function invite(client: TestApp['client'], projectId: string, email: string, locale: 'nl' | 'en'): Promise<void> {
    await client.data(
      'mutation($projectId: ID!, $input: InviteInput!) { inviteMember(projectId: $projectId, input: $input) { invitation { id } } }',
      { projectId, input: { email, roles: [ProjectRole.MEMBER], locale } },
    );
  }

  async function requestReset(email: string): Promise<void> {
    await t.client.data('mutation($email: String!) { requestPasswordReset(email: $email) }', { email });
  }

  it('sends an invitation in the language it was made in, with a link that opens the invitation', async () => {
    const project = await t.project();
    const admin = await t.person([ProjectRole.ADMIN], project);
    await invite(admin.client, project.id, 'nieuw@example.org', 'nl');
    await invite(admin.client, project.id, 'newcomer@example.org', 'en');

    const dutch = await mailTo('nieuw@example.org');
    expect(dutch.subject).toBe(`Uitnodiging: schrijf mee aan ${project.title}`);
    expect(dutch.text).toContain(`${admin.user.displayName} nodigt je uit voor ${project.title}`);
    expect(dutch.text).toContain('Deze uitnodiging is één keer te gebruiken');
    expect(dutch.html).toContain('<html lang="nl">');

    const english = await mailTo('newcomer@example.org');
    expect(english.subject).toBe(`Invitation: help make ${project.title}`);
    expect(english.text).toContain(`${admin.user.displayName} invites you to ${project.title}`);
    expect(english.html).toContain('<html lang="en">');

    // Once sent, the outbox keeps no copy of the secret link.
    const payload = await waitFor(async () => {
      const [row] = await t.dataSource.query(`SELECT payload FROM outbox WHERE id = $1 AND processed_at IS NOT NULL`, [outboxIdOf(jobIdOf(dutch))]);
      return row?.payload as Record<string, string> | undefined;
    }, 'the sent invitation to settle');
    expect(payload).toMatchObject({ to: 'nieuw@example.org' });
    expect(payload).not.toHaveProperty('acceptUrl');

    for (const [mail, email] of [[dutch, 'nieuw@example.org'], [english, 'newcomer@example.org']] as const) {
      const token = linkIn(mail, 'invitation');
      const preview = await t.client.data<{ invitation: { email: string; projectTitle: string } }>(
        'query($token: String!) { invitation(token: $token) { email projectTitle } }',
        { token },
      );
      expect(preview.invitation).toEqual({ email, projectTitle: project.title });
    }
  });

  it("sends a password reset in the account's language, and its link sets a new password", async () => {
    const english = await t.person([]);
    const dutch = await t.person([]);
    await dutch.client.data('mutation { updateMyProfile(input: { locale: nl }) { id } }');

    await requestReset(english.user.email);
    await requestReset(dutch.user.email);

    const englishMail = await mailTo(english.user.email);
    expect(englishMail.subject).toBe('Set a new password for Quire');
    expect(englishMail.text).toContain(`Hello ${english.user.displayName},`);
    const dutchMail = await mailTo(dutch.user.email);
    expect(dutchMail.subject).toBe('Nieuw wachtwoord instellen voor Quire');
    expect(dutchMail.text).toContain(`Hallo ${dutch.user.displayName},`);

    const signedIn = await t.client.data<{ resetPassword: { user: { email: string } } }>(
      'mutation($token: String!, $password: String!) { resetPassword(token: $token, password: $password) { user { email } } }',
      { token: linkIn(englishMail, 'reset-password'), password: 'a brand new passphrase' },
    );
    expect(signedIn.resetPassword.user.email).toBe(english.user.email);
  });

  it('sends one message for a job that is delivered twice', async () => {
    const person = await t.person([]);
    await requestReset(person.user.email);
    const mail = await mailTo(person.user.email);
    const jobId = jobIdOf(mail);
    const job = await waitFor(async () => {
      const found = await queue.getJob(jobId);
      return found && (await found.isCompleted()) && found;
    }, `job ${jobId} to complete`);

    // The same job again, as after a Redis that lost its record of the first run.
    await job.remove();
    await queue.add(job.name, job.data, { jobId });
    await waitFor(async () => (await queue.getJob(jobId))?.isCompleted(), `the second delivery of ${jobId} to complete`);

    expect(mailsTo(person.user.email)).toHaveLength(1);
  });

  it('retries when the SMTP server refuses for a while, then sends once', async () => {
    const person = await t.person([]);
    const refusedBefore = smtp.refusals();
    smtp.refuseNext(2);

    await requestReset(person.user.email);
    const mail = await mailTo(person.user.email);

    expect(smtp.refusals() - refusedBefore).toBe(2);
    expect(mailsTo(person.user.email)).toHaveLength(1);
    // The processor records the job as done after the SMTP server took the message.
    const row = await waitFor(async () => {
      const [found] = await t.dataSource.query(`SELECT processed_at IS NOT NULL AS processed, failed_at, last_error FROM outbox WHERE id = $1`, [outboxIdOf(jobIdOf(mail))]);
      return (found.processed || found.failed_at) && found;
    }, 'the job to be recorded as done');
    expect(row).toMatchObject({ processed: true, failed_at: null });
    expect(row.last_error).toContain('Try again later');
  });
});
