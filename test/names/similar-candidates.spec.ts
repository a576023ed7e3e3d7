import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@quire/db';
import { createTestDatabase, TestDatabase } from '@quire/testing';
// By path: the nominations index is the context's Nest-facing API, and a spec inside the library
// may not use @quire/testing (which depends on the runtime, which depends on the library).
import { DUPLICATE_THRESHOLD, nameKeys, SIMILARITY_FLOOR } from '../../libs/domain/nominations/src/names/dutch-names';
import { findSimilarCandidates } from '../../libs/domain/nominations/src/names/similar-candidates';

describe('findSimilarCandidates (PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let projectId: string;
  let otherProjectId: string;
  const ids: Record<string, string> = {};

  async function createProject(slug: string): Promise<string> {
    const [row] = await dataSource.query(`INSERT INTO projects (slug, title) VALUES ($1, $1) RETURNING id`, [slug]);
    return row.id;
  }

  async function addCandidate(project: string, name: string, birthYear: number | null, deathYear: number | null, variants: string[] = []): Promise<string> {
    const { matchKey, surnameKey } = nameKeys(name, variants);
    const [row] = await dataSource.query(
      `INSERT INTO candidates (project_id, name, name_variants, birth_year, death_year, match_key, surname_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [project, name, variants, birthYear, deathYear, matchKey, surnameKey],
    );
    return row.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase('similarnames');
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    projectId = await createProject('ambtenaren');
    otherProjectId = await createProject('other-book');
    ids.thorbecke = await addCandidate(projectId, 'Johan Rudolph Thorbecke', 1798, 1872);
    ids.otherThorbecke = await addCandidate(projectId, 'Willem Thorbecke', 1950, null);
    ids.drees = await addCandidate(projectId, 'Willem Drees', 1886, 1988);
    ids.dreesJr = await addCandidate(projectId, 'Willem Drees jr.', 1922, 1998);
    ids.deGroot = await addCandidate(projectId, 'Hugo de Groot', 1583, 1645, ['Hugo Grotius']);
    ids.terlouw = await addCandidate(projectId, 'Jan Terlouw', 1931, null);
    ids.vanHall = await addCandidate(projectId, 'Floris Adriaan van Hall', 1791, 1866);
    ids.lely = await addCandidate(projectId, 'Cornelis Lely', 1854, 1929);
    for (let n = 0; n < 40; n++) await addCandidate(projectId, `Pieter ${['Jansen', 'de Vries', 'Bakker', 'Visser'][n % 4]}`, 1800 + n, 1860 + n);
    ids.mergedLely = await addCandidate(projectId, 'C. Lely', 1854, 1929);
    await dataSource.query(`UPDATE candidates SET merged_into_id = $1 WHERE id = $2`, [ids.lely, ids.mergedLely]);
    ids.otherProjectLely = await addCandidate(otherProjectId, 'Cornelis Lely', 1854, 1929);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const search = (name: string, years: { birthYear?: number; deathYear?: number } = {}, limit?: number) =>
    findSimilarCandidates(dataSource.manager, projectId, { name, ...years }, limit);

  it('ranks the person meant first, with a duplicate score', async () => {
    const results = await search('mr. J.R. Thorbecke');
    expect(results[0]).toEqual({ id: ids.thorbecke, score: expect.any(Number) });
    expect(results[0].score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(results.map((r) => r.id)).not.toContain(ids.drees);
  });

  it('shows other people of the surname below, and all scores at least the floor, best first', async () => {
    const results = await search('Thorbecke, Johan Rudolf');
    expect(results.map((r) => r.id)).toEqual([ids.thorbecke]);
    const surnameOnly = await search('Thorbecke');
    expect(surnameOnly.map((r) => r.id).sort()).toEqual([ids.thorbecke, ids.otherThorbecke].sort());
    for (const r of surnameOnly) expect(r.score).toBeGreaterThanOrEqual(SIMILARITY_FLOOR);
  });

  it('finds a surname with a typo through the trigram index', async () => {
    const results = await search('Johan Rudolph Thorbeck');
    expect(results[0]?.id).toBe(ids.thorbecke);
  });

  it('shows the candidate while the surname is still being typed', async () => {
    const results = await search('J.R. Thorbe');
    expect(results[0]?.id).toBe(ids.thorbecke);
    expect(results[0].score).toBeLessThan(DUPLICATE_THRESHOLD);
  });

  it('finds a stored variant and a particle written apart', async () => {
    expect((await search('Hugo Grotius'))[0]?.id).toBe(ids.deGroot);
    expect((await search('Jan ter Louw'))[0]?.id).toBe(ids.terlouw);
    expect((await search('Hall, F.A. van'))[0]?.id).toBe(ids.vanHall);
  });

  it('lets life years decide between father and son', async () => {
    const father = await search('W. Drees', { birthYear: 1886 });
    expect(father.map((r) => r.id)).toEqual([ids.drees]);
    const son = await search('W. Drees', { birthYear: 1922, deathYear: 1998 });
    expect(son.map((r) => r.id)).toEqual([ids.dreesJr]);
  });

  it('leaves out merged candidates and other projects', async () => {
    const results = await search('Cornelis Lely');
    expect(results.map((r) => r.id)).toEqual([ids.lely]);
  });

  it('keeps to the limit, and returns nothing for a name without a surname', async () => {
    expect(await search('Pieter Jansen', {}, 3)).toHaveLength(3);
    expect(await search('')).toEqual([]);
    expect(await search('  .  ')).toEqual([]);
  });

  it('runs inside a caller\u2019s transaction', async () => {
    const results = await dataSource.transaction((tx) => findSimilarCandidates(tx, projectId, { name: 'Kees Lely' }));
    expect(results[0]?.id).toBe(ids.lely);
  });
});
