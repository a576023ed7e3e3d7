import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Actor, ProjectRole, systemActor } from '@quire/core';
import { UsersService } from '@quire/domain/identity';
import { ProjectsService } from '@quire/domain/projects';
import { DemoCast, seedDemoBook } from './demo-book';

export const DEMO_PASSWORD = 'welkom-bij-quire';

const DEMO_PEOPLE: { email: string; displayName: string; roles: ProjectRole[]; installationAdmin?: boolean }[] = [
  { email: 'admin@quire.local', displayName: 'Anna de Admin', roles: [ProjectRole.ADMIN, ProjectRole.EDITOR, ProjectRole.MEMBER], installationAdmin: true },
  { email: 'redactie@quire.local', displayName: 'Eva van der Eindredactie', roles: [ProjectRole.EDITOR, ProjectRole.MEMBER] },
  { email: 'auteur@quire.local', displayName: 'Arjen Auteur', roles: [ProjectRole.AUTHOR, ProjectRole.MEMBER] },
  { email: 'lid@quire.local', displayName: 'Lotte Lid', roles: [ProjectRole.MEMBER] },
];

/**
 * A demo book with one person of every role (see demo-book.ts for its rounds and portraits), made
 * only when the database has no users, so a fresh laptop install has something to show and a real
 * installation is never touched.
 * Returns the lines that tell how to sign in, or null when nothing was seeded.
 */
export async function seedDemo(app: INestApplicationContext): Promise<string[] | null> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const users = app.get(UsersService);
  const projects = app.get(ProjectsService);
  const cast = await dataSource.transaction(async (tx): Promise<DemoCast | null> => {
    // Two launchers starting at once must not both seed.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quire-seed']);
    const [{ n }] = await tx.query('SELECT count(*)::int AS n FROM users');
    if (n > 0) return null;
    const actor = systemActor('demo seed');
    const project = await projects.create(actor, {
      slug: 'ambtenaren',
      title: 'Ambtenaren! 200 jaar werken aan Nederland in 100 portretten',
      description: 'Het netwerk van rijksambtenaren kiest honderd mensen die Nederland vormden en schrijft hun portretten.',
      language: 'nl',
      targetPortraitCount: 100,
      // The demo's portraits are short sketches; Thorbecke's (62 words) is submitted, which needs the count within the limits.
      wordLimitMin: 50,
      wordLimitMax: 1200,
      selfSignUp: true,
      allowedEmailDomains: ['quire.local', 'minbzk.nl'],
    }, tx);
    const people: Actor[] = [];
    for (const person of DEMO_PEOPLE) {
      const user = await users.create(tx, actor, { email: person.email, displayName: person.displayName, locale: 'nl', password: DEMO_PASSWORD, installationAdmin: person.installationAdmin });
      await projects.grantRoles(tx, actor, project.id, user.id, person.roles);
      people.push({ kind: 'user', userId: user.id, installationAdmin: person.installationAdmin ?? false });
    }
    const [admin, editor, author, member] = people;
    return { projectId: project.id, admin, editor, author, member };
  });
  if (!cast) return null;
  await seedDemoBook(app, cast);
  return [
    'Seeded the demo book "Ambtenaren!": a closed round with its selection and portraits, a round open for voting, and one person of every role. Sign in with:',
    ...DEMO_PEOPLE.map((p) => `  ${p.email.padEnd(24)} ${p.roles.join(', ')}`),
    `  password for all: ${DEMO_PASSWORD}`,
  ];
}
