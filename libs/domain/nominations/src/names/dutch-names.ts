/**
 * Dutch personal names for duplicate detection: parsing ("mr. J.R. Thorbecke", "Hall, Floris
 * Adriaan van", "Jan Pietersz. Coen", "Neelie Smit-Kroes"), the keys stored on a candidate for
 * retrieval, and a pairwise match score that knows initials, roepnamen, particles, patronymics,
 * spelling variants and life dates.
 */
import { GivenName, givenNamesSimilarity, givenNameSimilarity, latinised } from './given-names';
import { editDistance, foldSpelling, plainText } from './spelling';

/**
 * A score at or above this means "probably the same person": the nomination form asks the member
 * to endorse the existing candidate instead. It sits between the weakest agreement of a real
 * duplicate (the surname alone: 0.8; one initial with the surname: 0.9, before life years) and the
 * strongest disagreement of different people (one letter changed in a surname of seven letters,
 * as Peters/Pieters: 0.73; a different particle, a generation marker on one side, one of two given
 * names wrong: 0.65 and below). A surname still being typed scores 0.7: shown, not yet a
 * duplicate. Measured by `npm run bench:duplicates` on bench/data.
 */
export const DUPLICATE_THRESHOLD = 0.75;

/** Scores below this are not shown as similar at all. */
export const SIMILARITY_FLOOR = 0.5;

export interface ParsedName {
  given: GivenName[];
  /** Particles (tussenvoegsels) before the surname, normalised: "van der", "het" for 't. */
  particles: string;
  /** Folded surname parts without particles: ["smit", "kroes"] for Smit-Kroes. */
  surnames: string[];
  /** The first surname part with the particles glued to it, folded: "terlouw" for ter Louw. */
  gluedSurname: string;
  /** The father's name of a patronymic (Pietersz. → pieter), folded; abbreviated in Azn., Jzn. */
  patronymic: GivenName | null;
  /** 1 for senior, 2 for junior or II, 3 for III; null when the name says nothing. */
  generation: number | null;
}

export interface NameQuery {
  name: string;
  birthYear?: number | null;
  deathYear?: number | null;
}

export interface CandidateName {
  name: string;
  nameVariants: string[];
  birthYear: number | null;
  deathYear: number | null;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** Words that are always particles. */
const PARTICLES = new Set(['van', 'de', 'den', 'der', 'het', "'t", 'te', 'ter', 'ten', "'s", 'la', 'le', "l'", "d'", 'du', 'des', 'da', 'di', 'del', 'della', 'dos', 'von', 'zu', 'vande', 'vanden', 'vander', 'vd']);
/** Words that are particles only before another particle: in 't Veld, op den Kamp, tot den Pol. */
const LEADING_PARTICLES = new Set(['in', 'op', 'uit', 'uijt', 'aan', 'bij', 'onder', 'over', 'voor', 'tot', 'thoe']);
const PARTICLE_SPELLINGS = new Map(Object.entries({ "'t": 'het', "'s": 'des', vande: 'van de', vanden: 'van den', vander: 'van der', vd: 'van d', uijt: 'uit' }));

/** Academic, professional and noble titles and forms of address, written before a name. */
const TITLES = new Set([
  'mr', 'dr', 'drs', 'ir', 'ing', 'prof', 'jhr', 'jkvr', 'jonkheer', 'jonkvrouw', 'ds', 'mgr', 'dhr', 'mevr', 'mw', 'mej', 'mevrouw', 'meneer', 'heer',
  'sir', 'baron', 'barones', 'graaf', 'gravin', 'burggraaf', 'ridder', 'prins', 'prinses', 'hertog', 'hertogin', 'em', 'lic', 'bc', 'dominee', 'pater', 'pastoor',
]);
/** Degrees written after a name. */
const POSTNOMINALS = new Set(['msc', 'ma', 'mba', 'phd', 'llm', 'llb', 'bsc', 'ba', 'bba', 'mphil', 'md', 'ra', 'mpa', 'emba', 'dsc']);
const GENERATIONS = new Map(Object.entries({ sr: 1, senior: 1, jr: 2, junior: 2, ii: 2, iii: 3, iv: 4 }));
/** Epithets after a full name that mark a generation (Rijcklof van Goens de Jonge). */
const EPITHETS = new Map(Object.entries({ oude: 1, oudere: 1, jonge: 2, jongere: 2, jongste: 3 }));

/** Patronymics: Pieterszoon, Pietersz., Pieterszn., Simonsdochter, Simonsdr. */
const PATRONYMIC = /^([a-z]{2,}?)(?:szoon|szn|sz|sdochter|sdr)$/;
/** Abbreviated patronymics, often written after the surname: Heemskerk Azn. (Abrahamszoon). */
const ABBREVIATED_PATRONYMIC = /^([a-z]{1,2})zn$/;

// ---------------------------------------------------------------------------------------------
// Parsing

interface Token {
  /** Plain lowercase text with the dot of an abbreviation kept: "j.", "th.", "van", "'t". */
  text: string;
  /** Joined to the previous token by a hyphen (Smit-Kroes, Jan-Peter). */
  hyphenated: boolean;
}

const letters = (text: string) => text.replace(/[^a-z]/g, '');

/** Parses one written name. Never throws; an empty or odd name gives empty parts. */
export function parseDutchName(name: string): ParsedName {
  const words = { tokens: readTokens(name), generation: null as number | null };
  takeSuffixes(words);
  const patronymicAfterSurname = takeTrailingPatronymic(words.tokens);

  // Titles go wherever they stand before the surname ("Gustaaf Willem baron van Imhoff").
  const surnameStart = findSurnameStart(words.tokens);
  const leading = words.tokens.slice(0, surnameStart).filter((token) => !TITLES.has(letters(token.text)));
  const trailing = words.tokens.slice(surnameStart);
  if (!trailing.length && leading.length) trailing.push(leading.pop() as Token);

  let patronymic = patronymicAfterSurname;
  const given: GivenName[] = [];
  for (const [index, token] of leading.entries()) {
    const word = letters(token.text);
    const father = index > 0 ? (PATRONYMIC.exec(word) ?? ABBREVIATED_PATRONYMIC.exec(word)) : null;
    if (father && !patronymic) patronymic = givenName(word.length <= 4 ? `${father[1]}.` : father[1]);
    else if (word) given.push(givenName(token.text));
  }

  let particleCount = 0;
  while (particleCount < trailing.length - 1 && isParticle(trailing, particleCount)) particleCount++;
  const particles = normaliseParticles(trailing.slice(0, particleCount).map((token) => token.text));
  const surnames = trailing
    .slice(particleCount)
    .filter((_, position, rest) => !isParticle(rest, position) || position === rest.length - 1)
    .map((token) => foldSpelling(normalisePatronymicSurname(letters(token.text))))
    .filter(Boolean);
  const gluedSurname = particles && surnames.length ? foldSpelling(particles + surnames[0]) : (surnames[0] ?? '');
  return { given, particles, surnames, gluedSurname, patronymic, generation: words.generation };
}

/**
 * The words of a name in natural order. Life years written into it are dropped. An inverted name
 * ("Thorbecke, J.R.", "Hall, Floris Adriaan van") is turned round; of a part after a comma that is
 * only a suffix, degree or title ("Drees, W., jr.", "Jansen, MSc") only a generation is kept.
 */
function readTokens(name: string): Token[] {
  const segments = plainText(expandCompactForms(name))
    .replace(/\([^)]*\d[^)]*\)|\d+/g, ' ')
    .replace(/["()[\]]/g, ' ')
    .split(/[,;]/)
    .map(tokenize)
    .filter((tokens) => tokens.length);
  const isNamePart = (tokens: Token[]) => !tokens.every((token) => isSuffix(token.text));
  const [first = [], second = [], ...rest] = segments.filter(isNamePart);
  const generations = segments.filter((tokens) => !isNamePart(tokens)).flat().filter((token) => GENERATIONS.has(letters(token.text)));
  return [...second, ...first, ...rest.flat(), ...generations];
}

/** Removes generation markers (jr., sr., II, "de Jonge" after a full name) and degrees. */
function takeSuffixes(words: { tokens: Token[]; generation: number | null }): void {
  const note = (generation: number) => (words.generation = Math.max(words.generation ?? 0, generation));
  words.tokens = words.tokens.filter((token, index) => {
    const generation = index > 0 ? GENERATIONS.get(letters(token.text)) : undefined;
    if (generation) note(generation);
    return !generation;
  });
  const tokens = words.tokens;
  while (tokens.length > 2 && POSTNOMINALS.has(letters(tokens[tokens.length - 1].text))) tokens.pop();
  // Only after a particle is a surname sure to come first; Bonifacius Cornelis de Jonge is a De Jonge.
  const epithet = tokens.length > 3 && tokens[tokens.length - 2].text === 'de' ? EPITHETS.get(tokens[tokens.length - 1].text) : undefined;
  if (epithet && tokens.slice(1, -2).some((_, index) => isParticle(tokens, index + 1))) {
    note(epithet);
    tokens.splice(-2);
  }
}

/** An abbreviated patronymic after the surname (Jan Heemskerk Azn.), removed from the tokens. */
function takeTrailingPatronymic(tokens: Token[]): GivenName | null {
  const father = tokens.length > 2 ? ABBREVIATED_PATRONYMIC.exec(letters(tokens[tokens.length - 1].text)) : null;
  if (!father) return null;
  tokens.pop();
  return givenName(`${father[1]}.`);
}

/**
 * Rewrites what only the original capitals tell apart: "JR Thorbecke" has initials J. and R.
 * (a run of two or three capital consonants in a name not written all in capitals), and a
 * lowercase "v.d." or "v/d" is the particle van de/den/der.
 */
function expandCompactForms(name: string): string {
  const allCapitals = name === name.toUpperCase();
  return name
    .replace(/(^|\s)(?:v\.\s?d\.?|v\/d)(?=\s)/g, '$1vd')
    .replace(/\b[B-DF-HJ-NP-TV-XZ]{2,3}\b/g, (run) => (allCapitals ? run : [...run].map((letter) => `${letter}.`).join('')));
}

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (const word of segment.split(/\s+/)) {
    // Hyphenated names and elided particles: Smit-Kroes, 's-Gravesande, d'Ancona.
    word.split('-').forEach((piece, position) => {
      const elided = /^([dl]'|'[ts])(.+)$/.exec(piece);
      const parts = elided ? [elided[1], elided[2]] : [piece];
      parts.forEach((part, partIndex) => {
        // Initials written together: "J.R." → "j.", "r."; "Jac.P." → "jac.", "p.".
        const texts = /^[a-z]+\.[a-z]/.test(part) ? part.split(/(?<=\.)/) : [part];
        for (const text of texts) tokens.push({ text, hyphenated: position > 0 && partIndex === 0 });
      });
    });
  }
  return tokens.filter((token) => /[a-z]/.test(token.text));
}

function isSuffix(text: string): boolean {
  const word = letters(text);
  return GENERATIONS.has(word) || POSTNOMINALS.has(word) || TITLES.has(word);
}

function isParticle(tokens: Token[], index: number): boolean {
  const text = tokens[index].text;
  if (PARTICLES.has(text)) return true;
  return LEADING_PARTICLES.has(text) && index + 1 < tokens.length && PARTICLES.has(tokens[index + 1].text);
}

/**
 * Where the surname begins: at the first particle that has a name after it, else at the last
 * word together with any words hyphenated to it (Neelie Smit-Kroes).
 */
function findSurnameStart(tokens: Token[]): number {
  for (let index = 0; index < tokens.length - 1; index++) {
    if (isParticle(tokens, index)) {
      let next = index;
      while (next < tokens.length && isParticle(tokens, next)) next++;
      if (next < tokens.length) return index;
    }
  }
  let start = tokens.length - 1;
  while (start > 0 && tokens[start].hyphenated) start--;
  return Math.max(start, 0);
}

function givenName(text: string): GivenName {
  const plain = letters(text);
  const abbreviated = plain.length === 1 || (text.endsWith('.') && plain.length <= 4);
  return { plain, folded: foldSpelling(plain) || plain, abbreviated };
}

function normaliseParticles(words: string[]): string {
  return words
    .map((word) => PARTICLE_SPELLINGS.get(word) ?? word)
    .join(' ');
}

/** Barentszoon, Barentszn. and Barentsz are one surname. */
function normalisePatronymicSurname(word: string): string {
  return word.replace(/(.{2,}s)(?:zoon|zn)$/, '$1z');
}

// ---------------------------------------------------------------------------------------------
// Keys stored on a candidate

/**
 * What candidates.match_key and candidates.surname_key hold.
 *
 * surname_key is the folded last surname part of the name (particles left out: "hal" for Van
 * Hall, "kros" for Smit-Kroes), for exact lookups in the (project_id, surname_key) btree.
 *
 * match_key is searched with pg_trgm's word similarity (`query <% match_key`, GIN index): for
 * each form of the name (the name and its variants) the folded surname parts followed by the
 * folded first letters of the given names, e.g. "torbeke jr" for J.R. Thorbecke and, with variant
 * Hugo Grotius, "grot h grotius h" for Hugo de Groot. The query is built the same way, so word
 * similarity finds the surname within the key even when the key holds several forms, tolerates
 * a typo or unfolded variant in it (Thorbeck, Schimmelpenningh), and ranks rows whose initials
 * agree first within a common surname. Particles and full given names are left out on purpose:
 * they would make Jan van der Meer look like Jan van der Veen to trigrams, and the exact
 * comparison of given names is done afterwards by matchScore.
 */
export function nameKeys(name: string, variants: string[]): { matchKey: string; surnameKey: string } {
  const forms = [name, ...variants].map(parseDutchName);
  const words = new Set<string>();
  for (const form of forms) words.add(retrievalText(form));
  return { matchKey: [...words].filter(Boolean).join(' '), surnameKey: forms[0].surnames.at(-1) ?? '' };
}

/** The part of match_key one form contributes, and the text a query searches it with. */
export function retrievalText(name: ParsedName): string {
  const initials = name.given.map((given) => given.folded[0] ?? '').join('');
  return [...name.surnames, initials].filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Matching

/** Nobody in the books lived longer; a death more than this after the other's birth rules out. */
const LONGEST_LIFE = 110;
/** Given names missing on either side: neither evidence for nor against, so a partial match. */
const MISSING_GIVEN_NAMES = 0.8;

/**
 * How likely `candidate` is the person the member means by `query`, in [0, 1]: 0 when life
 * years contradict (birth or death years more than a year apart, born after the other died, a
 * life longer than 110 years), otherwise the agreement of surnames, given names, particles,
 * patronymics and generation (jr./sr.) of the best-matching form of the candidate's name (its
 * name or any variant), raised when life years agree.
 */
export function matchScore(query: NameQuery, candidate: CandidateName): number {
  const queryYears = { birth: query.birthYear ?? null, death: query.deathYear ?? null };
  const candidateYears = { birth: candidate.birthYear, death: candidate.deathYear };
  if (lifeYearsContradict(queryYears, candidateYears)) return 0;
  const parsedQuery = parseCached(query.name);
  let score = 0;
  for (const form of [candidate.name, ...candidate.nameVariants]) score = Math.max(score, nameSimilarity(parsedQuery, parseCached(form)));
  if (score >= SIMILARITY_FLOOR && lifeYearsAgree(queryYears, candidateYears)) score += (1 - score) * 0.5;
  return score;
}

interface LifeYears {
  birth: number | null;
  death: number | null;
}

function lifeYearsContradict(a: LifeYears, b: LifeYears): boolean {
  const apart = (x: number | null, y: number | null) => x !== null && y !== null && Math.abs(x - y) > 1;
  const bornAfterDeath = (birth: number | null, death: number | null) => birth !== null && death !== null && (birth > death + 1 || death - birth > LONGEST_LIFE);
  return apart(a.birth, b.birth) || apart(a.death, b.death) || bornAfterDeath(a.birth, b.death) || bornAfterDeath(b.birth, a.death);
}

function lifeYearsAgree(a: LifeYears, b: LifeYears): boolean {
  const close = (x: number | null, y: number | null) => x !== null && y !== null && Math.abs(x - y) <= 1;
  return close(a.birth, b.birth) || close(a.death, b.death);
}

/** How surely two parsed names are one person's, from the names alone; `a` is what was typed. */
export function nameSimilarity(a: ParsedName, b: ParsedName): number {
  const surname = surnameSimilarity(a, b);
  if (surname.score === 0) return 0;
  const given = givenNamesSimilarity(a.given, b.given) ?? MISSING_GIVEN_NAMES;
  const particles = surname.particlesIncluded ? 1 : particleAgreement(a.particles, b.particles);
  return surname.score * given * particles * patronymicAgreement(a.patronymic, b.patronymic) * generationAgreement(a.generation, b.generation);
}

/**
 * Surnames agree when they share a folded part (a married name Smit-Kroes still contains Kroes),
 * when a particle is written glued to the name (Terlouw, ter Louw), or when they differ by a typo
 * or an unfolded spelling in a long enough name. Surnames that differ by a Dutch genitive or
 * plural ending (Smit/Smits, Rutte/Rutten, Groeneweg/Groenewegen) are different family names.
 */
function surnameSimilarity(a: ParsedName, b: ParsedName): { score: number; particlesIncluded: boolean } {
  if (!a.surnames.length || !b.surnames.length) return { score: 0, particlesIncluded: false };
  const shared = a.surnames.filter((part) => b.surnames.includes(part)).length;
  if (shared) {
    const same = shared === a.surnames.length && shared === b.surnames.length;
    return { score: same ? 1 : 0.92, particlesIncluded: false };
  }
  if (a.gluedSurname === b.gluedSurname) return { score: 1, particlesIncluded: true };
  let best = 0;
  for (const x of a.surnames) for (const y of b.surnames) best = Math.max(best, surnamePartSimilarity(x, y));
  // The member is still typing the surname: similar enough to show, not yet a duplicate.
  const typed = a.surnames[a.surnames.length - 1];
  if (!best && typed.length >= MIN_TYPED_SURNAME && b.surnames.some((part) => part.length > typed.length && part.startsWith(typed))) best = TYPED_SURNAME;
  return { score: best, particlesIncluded: false };
}

const MIN_TYPED_SURNAME = 3;
const TYPED_SURNAME = 0.7;

const FAMILY_NAME_ENDINGS = ['s', 'se', 'sen', 'en', 'n'];

function surnamePartSimilarity(x: string, y: string): number {
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (long.startsWith(short) && FAMILY_NAME_ENDINGS.includes(long.slice(short.length))) return 0.5;
  if (latinised(short, long)) return 0.9;
  if (long.length < 5) return 0;
  const distance = editDistance(x, y, 2);
  if (distance > (long.length >= 9 ? 2 : 1)) return 0;
  const similarity = 1 - distance / long.length;
  return similarity * similarity;
}

/** "van der" and "van den" are often confused; a dropped particle is common; others differ. */
function particleAgreement(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0.93;
  const vanD = /^van d(e[nr]?)?$/;
  if (vanD.test(a) && vanD.test(b)) return a === 'van d' || b === 'van d' ? 1 : 0.95;
  return 0.65;
}

function patronymicAgreement(a: GivenName | null, b: GivenName | null): number {
  if (!a || !b) return 1;
  return givenNameSimilarity(a, b) > 0 ? 1 : 0.5;
}

/**
 * Jr. and sr. are different people. A generation marker on one side only says two generations
 * share the name, and either may be the one written without it: life years must decide.
 */
function generationAgreement(a: number | null, b: number | null): number {
  if (a === b) return 1;
  return a !== null && b !== null ? 0 : 0.6;
}

/** Candidates' names are parsed again for every query that retrieves them; keep recent parses. */
const PARSE_CACHE_SIZE = 20_000;
const parseCache = new Map<string, ParsedName>();

function parseCached(name: string): ParsedName {
  let parsed = parseCache.get(name);
  if (!parsed) {
    parsed = parseDutchName(name);
    if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.delete(parseCache.keys().next().value as string);
    parseCache.set(name, parsed);
  }
  return parsed;
}
