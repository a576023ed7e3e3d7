import { CandidateName, DUPLICATE_THRESHOLD, matchScore, nameKeys, parseDutchName, SIMILARITY_FLOOR } from './dutch-names';

function candidate(name: string, birthYear: number | null = null, deathYear: number | null = null, nameVariants: string[] = []): CandidateName {
  return { name, nameVariants, birthYear, deathYear };
}

const given = (name: string) => parseDutchName(name).given.map((g) => (g.abbreviated ? `${g.plain}.` : g.plain));

describe('parseDutchName', () => {
  it('splits initials, also written together or without dots', () => {
    expect(given('J.R. Thorbecke')).toEqual(['j.', 'r.']);
    expect(given('J.M.L.Th. Cals')).toEqual(['j.', 'm.', 'l.', 'th.']);
    expect(given('Jac.P. Thijsse')).toEqual(['jac.', 'p.']);
    expect(given('JR Thorbecke')).toEqual(['j.', 'r.']);
    expect(parseDutchName('J.R. Thorbecke').surnames).toEqual(['torbeke']);
  });

  it('separates particles (tussenvoegsels) from the surname', () => {
    expect(parseDutchName('Floris Adriaan van Hall')).toMatchObject({ particles: 'van', surnames: ['hal'] });
    expect(parseDutchName('Johannes Diderik van der Waals')).toMatchObject({ particles: 'van der', surnames: ['wals'] });
    expect(parseDutchName("Jacobus Henricus van 't Hoff")).toMatchObject({ particles: 'van het', surnames: ['hof'] });
    expect(parseDutchName("W.J. 's-Gravesande")).toMatchObject({ particles: 'des', surnames: ['gravesande'] });
    expect(parseDutchName("Hedy d'Ancona")).toMatchObject({ particles: "d'", surnames: ['ankona'] });
    expect(parseDutchName('Menno ter Braak')).toMatchObject({ particles: 'ter', surnames: ['brak'] });
    expect(parseDutchName('J. v.d. Berg')).toMatchObject({ particles: 'van d', surnames: ['berg'] });
    expect(parseDutchName('Joan Derk van der Capellen tot den Pol')).toMatchObject({ particles: 'van der', surnames: ['kapelen', 'pol'] });
    expect(parseDutchName('De Witt')).toMatchObject({ given: [], particles: 'de', surnames: ['wit'] });
  });

  it('reads inverted names', () => {
    expect(parseDutchName('Hall, Floris Adriaan van')).toEqual(parseDutchName('Floris Adriaan van Hall'));
    expect(parseDutchName('Thorbecke, J.R.')).toEqual(parseDutchName('J.R. Thorbecke'));
    expect(parseDutchName('Thorbecke, J.R., mr.')).toEqual(parseDutchName('J.R. Thorbecke'));
    expect(parseDutchName('Jansen, Jan, MSc')).toEqual(parseDutchName('Jan Jansen'));
  });

  it('keeps hyphenated surnames together and hyphenated given names apart', () => {
    expect(parseDutchName('Neelie Smit-Kroes').surnames).toEqual(['smit', 'kroes']);
    expect(given('Jan-Peter Balkenende')).toEqual(['jan', 'peter']);
  });

  it('sets patronymics apart, also abbreviated and after the surname', () => {
    expect(parseDutchName('Jan Pietersz. Coen')).toMatchObject({ surnames: ['koen'], patronymic: { folded: 'pieter' } });
    expect(parseDutchName('Kenau Simonsdochter Hasselaer')).toMatchObject({ surnames: ['haselar'], patronymic: { folded: 'simon' } });
    expect(parseDutchName('Jan Heemskerk Azn.')).toMatchObject({ surnames: ['hemskerk'], patronymic: { plain: 'a', abbreviated: true } });
    expect(parseDutchName('Willem Barentszoon').surnames).toEqual(parseDutchName('Willem Barentsz').surnames);
  });

  it('drops titles and degrees and notes generations', () => {
    expect(given('Prof. dr. ir. W. Schermerhorn')).toEqual(['w.']);
    expect(given('Gustaaf Willem baron van Imhoff')).toEqual(['gustaaf', 'willem']);
    expect(parseDutchName('Gerardus de Graaf').surnames).toEqual(['graf']);
    expect(parseDutchName('Jan Jansen MSc').surnames).toEqual(['jansen']);
    expect(parseDutchName('Willem Drees jr.').generation).toBe(2);
    expect(parseDutchName('Drees, W., sr.').generation).toBe(1);
    expect(parseDutchName('Jan Six II').generation).toBe(2);
    expect(parseDutchName('Rijcklof van Goens de Jonge')).toMatchObject({ surnames: ['goens'], generation: 2 });
    expect(parseDutchName('Bonifacius Cornelis de Jonge')).toMatchObject({ surnames: ['jonge'], generation: null });
  });

  it('never throws on odd input', () => {
    for (const odd of ['', '   ', '.', "'t", 'van', 'J.', '1886-1988', 'Drees (1886-1988)', '-', ',,,']) {
      expect(() => parseDutchName(odd)).not.toThrow();
    }
    expect(parseDutchName('Willem Drees (1886-1988)')).toEqual(parseDutchName('Willem Drees'));
  });
});

describe('nameKeys', () => {
  it('stores the folded surname and, per form, surname parts with initials', () => {
    expect(nameKeys('Johan Rudolph Thorbecke', [])).toEqual({ matchKey: 'torbeke jr', surnameKey: 'torbeke' });
    expect(nameKeys('Floris Adriaan van Hall', [])).toEqual({ matchKey: 'hal fa', surnameKey: 'hal' });
    expect(nameKeys('Hugo de Groot', ['Hugo Grotius'])).toEqual({ matchKey: 'grot h grotius h', surnameKey: 'grot' });
    expect(nameKeys('Neelie Smit-Kroes', ['Neelie Kroes'])).toEqual({ matchKey: 'smit kroes n kroes n', surnameKey: 'kroes' });
  });

  it('gives spelling variants one key', () => {
    expect(nameKeys('Abraham Kuyper', []).surnameKey).toBe(nameKeys('A. Kuijper', []).surnameKey);
    expect(nameKeys('Johan van Oldenbarnevelt', []).surnameKey).toBe(nameKeys('J. van Oldenbarneveldt', []).surnameKey);
  });
});

describe('matchScore', () => {
  const same = (query: string, existing: CandidateName, years: { birthYear?: number; deathYear?: number } = {}) =>
    expect(matchScore({ name: query, ...years }, existing)).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
  const different = (query: string, existing: CandidateName, years: { birthYear?: number; deathYear?: number } = {}) =>
    expect(matchScore({ name: query, ...years }, existing)).toBeLessThan(DUPLICATE_THRESHOLD);

  const thorbecke = candidate('Johan Rudolph Thorbecke', 1798, 1872);

  it('takes initials for the full given names (J.R. Thorbecke = Johan Rudolph Thorbecke)', () => {
    same('J.R. Thorbecke', thorbecke);
    same('mr. J.R. Thorbecke', thorbecke);
    same('Thorbecke, Johan Rudolph', thorbecke);
    different('J.H. Thorbecke', thorbecke);
    different('Johan Hendrik Thorbecke', thorbecke);
  });

  it('knows particles, and that a dropped one is common but a different one is another name', () => {
    same('F.A. van Hall', candidate('Floris Adriaan van Hall'));
    same('Hall, Floris Adriaan van', candidate('Floris Adriaan van Hall'));
    same('J.B. Heutsz', candidate('Joannes Benedictus van Heutsz'));
    same('Jan Terlouw', candidate('Jan ter Louw'));
    same('Johannes van der Bosch', candidate('Johannes van den Bosch'));
    different('Relus van Beek', candidate('Relus ter Beek'));
  });

  it('folds spelling variants: ij/y, ph/f, c/k, s/z, double vowels, dt', () => {
    same('Abraham Kuijper', candidate('Abraham Kuyper'));
    same('Jelle Zylstra', candidate('Jelle Zijlstra'));
    same('Johan Rudolf Thorbecke', thorbecke);
    same('Aletta Jakobs', candidate('Aletta Jacobs'));
    same('Pieter Seeman', candidate('Pieter Zeeman'));
    same('Willem Schermerhoorn', candidate('Willem Schermerhorn'));
    same('Johan van Oldenbarneveldt', candidate('Johan van Oldenbarnevelt'));
  });

  it('ignores diacritics', () => {
    same('Marga Klompe', candidate('Marga Klompé'));
    same('Aletta Henriette Jacobs', candidate('Aletta Henriëtte Jacobs'));
  });

  it('knows patronymics: optional, but two different ones are two people', () => {
    const coen = candidate('Jan Pieterszoon Coen', 1587, 1629);
    same('Jan Pietersz. Coen', coen);
    same('Jan Coen', coen);
    same('J.P. Coen', coen);
    different('Jan Willemsz. Coen', coen);
    same('Jan Heemskerk', candidate('Jan Heemskerk Azn.'));
    different('Jan Heemskerk Jzn.', candidate('Jan Heemskerk Azn.'));
  });

  it('knows roepnamen', () => {
    same('Wim Kok', candidate('Willem Kok'));
    same('Dries van Agt', candidate('Andreas Antonius Maria van Agt'));
    same('A.A.M. van Agt', candidate('Dries van Agt'));
    same('Kees Lely', candidate('Cornelis Lely'));
  });

  it('lets life dates rule a match out', () => {
    expect(matchScore({ name: 'Willem Drees', birthYear: 1922 }, candidate('Willem Drees', 1886, 1988))).toBe(0);
    expect(matchScore({ name: 'Willem Drees', deathYear: 1998 }, candidate('Willem Drees', 1886, 1988))).toBe(0);
    expect(matchScore({ name: 'Willem Kolf', birthYear: 1850, deathYear: 1910 }, candidate('Willem Kolff', 1911, 2009))).toBe(0);
    expect(matchScore({ name: 'Johan van Veen', birthYear: 1959 }, candidate('Johan van Veen', 1893, 1959))).toBe(0);
    // Sources disagree by a year often enough; that does not rule out.
    same('Willem Drees', candidate('Willem Drees', 1886, 1988), { birthYear: 1887 });
  });

  it('raises the score when life years agree', () => {
    const withoutYears = matchScore({ name: 'W. Drees' }, candidate('Willem Drees', 1886, 1988));
    const withYears = matchScore({ name: 'W. Drees', birthYear: 1886 }, candidate('Willem Drees', 1886, 1988));
    expect(withYears).toBeGreaterThan(withoutYears);
    expect(withYears).toBeLessThanOrEqual(1);
  });

  it('counts missing given names as a partial match', () => {
    const score = matchScore({ name: 'Thorbecke' }, thorbecke);
    expect(score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(score).toBeLessThan(matchScore({ name: 'J.R. Thorbecke' }, thorbecke));
  });

  it('counts a variant name of the candidate', () => {
    same('Hugo Grotius', candidate('Hugo de Groot', 1583, 1645, ['Hugo Grotius']));
    same('Multatuli', candidate('Eduard Douwes Dekker', 1820, 1887, ['Multatuli']));
    different('Multatuli', candidate('Eduard Douwes Dekker', 1820, 1887));
  });

  it('tells fathers and sons, brothers and sisters, men and women apart', () => {
    different('Willem Drees jr.', candidate('Willem Drees', 1886, 1988));
    expect(matchScore({ name: 'Constantijn Huygens jr.' }, candidate('Constantijn Huygens sr.'))).toBe(0);
    different('Cornelis de Witt', candidate('Johan de Witt'));
    different('Cornelia Lely', candidate('Cornelis Lely'));
    different('Johanna Thorbecke', thorbecke);
  });

  it('tells similar family names apart but still shows typos', () => {
    different('Jan Smits', candidate('Jan Smit'));
    different('Suze Groenewegen', candidate('Suze Groeneweg'));
    different('Simon Stevens', candidate('Simon Stevin'));
    same('Rutger Jan Schimmelpenningh', candidate('Rutger Jan Schimmelpenninck'));
    expect(matchScore({ name: 'Thorbeck' }, thorbecke)).toBeGreaterThanOrEqual(SIMILARITY_FLOOR);
  });

  it('shows a candidate whose surname the member is still typing, without calling it a duplicate', () => {
    for (const typing of ['Thorb', 'J.R. Thorbe', 'Johan Rudolph Thorbec']) {
      const score = matchScore({ name: typing }, thorbecke);
      expect(score).toBeGreaterThanOrEqual(SIMILARITY_FLOOR);
      expect(score).toBeLessThan(DUPLICATE_THRESHOLD);
    }
    expect(matchScore({ name: 'Th' }, thorbecke)).toBe(0);
  });

  it('stays in [0, 1] and is 0 for other surnames', () => {
    expect(matchScore({ name: 'Jan de Vries' }, candidate('Jan de Jong'))).toBe(0);
    expect(matchScore({ name: '' }, thorbecke)).toBe(0);
    expect(matchScore({ name: 'Johan Rudolph Thorbecke', birthYear: 1798, deathYear: 1872 }, thorbecke)).toBe(1);
  });
});
