import { editDistance, foldSpelling } from './spelling';

/** One given name as written: a full name or an abbreviation ("J.", "Th.", "Jac."). */
export interface GivenName {
  /** Lowercase letters without diacritics, as written: "theodorus", or "th" for "Th.". */
  plain: string;
  /** With spelling variants folded: "teodorus", "t". */
  folded: string;
  /** An initial or abbreviation, which stands for any name it begins. */
  abbreviated: boolean;
}

/**
 * Dutch baptismal names (full forms, first) and the roepnamen (short forms) people go by, from
 * common Dutch usage. A short form matches the full forms of its group, and full forms match each
 * other, but two different short forms of one group do not: Geert and Gerrit both come from
 * Gerardus, yet are different people's names.
 */
const ROEPNAMEN: [full: string[], short: string[]][] = [
  [['johannes', 'joannes', 'johan', 'joan', 'jean', 'john'], ['jan', 'hans', 'jo', 'joop', 'jannes', 'hannes', 'johnny']],
  [['jacobus', 'jacob', 'jacques'], ['jaap', 'koos', 'coos', 'jaco', 'sjaak', 'cobus', 'kobus', 'jac']],
  [['jacoba'], ['coba', 'coby', 'koosje', 'jacqueline']],
  [['cornelis', 'cornelius'], ['kees', 'cees', 'cor', 'corneel', 'nelis']],
  [['cornelia'], ['corrie', 'corry', 'cor', 'nel', 'nelly', 'neeltje', 'neelie', 'cora']],
  [['wilhelmus', 'willem', 'guillaume', 'william', 'wilhelm'], ['wim', 'pim', 'wil', 'willy', 'wiel']],
  [['wilhelmina'], ['mina', 'wil', 'wilma', 'willemijn', 'mien', 'mientje']],
  [['hendrikus', 'hendrik', 'henricus', 'henri', 'henry', 'heinrich'], ['henk', 'hein', 'rik', 'driek', 'harrie', 'harry', 'hennie']],
  [['hendrika'], ['riek', 'rika', 'henny', 'hennie', 'drika', 'rieky']],
  [['petrus', 'pieter', 'peter', 'pierre'], ['piet', 'pier', 'peer']],
  [['petronella'], ['nel', 'nelly', 'pietje', 'pieternel']],
  [['gerardus', 'gerard', 'gerhard', 'gerhardus'], ['gerrit', 'geert', 'gert', 'ger', 'gerd']],
  [['adrianus', 'adriaan', 'adriaen', 'adrian'], ['arie', 'ad', 'aad', 'adri', 'janus']],
  [['adriana'], ['adrie', 'jaantje', 'ria', 'sjaan']],
  [['antonius', 'anton', 'antoon', 'antoni', 'anthonie', 'anthony', 'antoine'], ['toon', 'ton', 'teun', 'tonnie', 'tony', 'twan']],
  [['franciscus', 'frans', 'francois', 'franz'], ['cis', 'frank']],
  [['theodorus', 'theodoor'], ['theo', 'dorus', 'door']],
  [['rudolphus', 'rudolf', 'rudolph'], ['ruud', 'rudi', 'dolf']],
  [['adolphus', 'adolf'], ['dolf', 'ad']],
  [['andreas', 'andries', 'andre'], ['dries']],
  [['fredericus', 'frederik', 'frederick', 'frederic'], ['frits', 'freek', 'fred', 'rik']],
  [['nicolaas', 'nicolaus', 'nicolas'], ['klaas', 'claes', 'niek', 'nico', 'niko', 'nick']],
  [['martinus', 'maarten', 'martin'], ['tinus', 'tini', 'mart']],
  [['marinus'], ['rinus', 'rien']],
  [['lambertus', 'lambert'], ['bert', 'lammert']],
  [['albertus', 'albert'], ['bert', 'ab', 'appie']],
  [['gijsbertus', 'gijsbert'], ['gijs', 'bert']],
  [['hubertus', 'hubert'], ['huub', 'bert']],
  [['bernardus', 'bernard', 'bernhard', 'berend', 'barend'], ['ben', 'benno', 'bernd']],
  [['bartholomeus'], ['bart', 'mees']],
  [['josephus', 'jozef', 'joseph'], ['jos', 'joep', 'sjef', 'jo', 'seppe']],
  [['gustaaf', 'gustavus'], ['guus']],
  [['augustinus', 'augustus'], ['guus', 'stijn']],
  [['everardus', 'evert'], ['eef']],
  [['eduardus', 'eduard', 'edward'], ['ed', 'eddy', 'ede']],
  [['laurentius', 'laurens'], ['lau', 'rens']],
  [['leonardus', 'leendert', 'leonard'], ['leen', 'leo']],
  [['theodoricus', 'diederik', 'dirk'], ['dick', 'dik']],
  [['wouter', 'walter', 'wolterus'], ['wout']],
  [['reinier', 'reinerus', 'regnerus'], ['rein']],
  [['arnoldus', 'arnold'], ['noud', 'arno', 'nol']],
  [['christianus', 'christiaan', 'christian'], ['chris', 'kris']],
  [['constantinus', 'constantijn'], ['stijn', 'constant']],
  [['sebastianus', 'sebastiaan'], ['bas']],
  [['abraham'], ['bram', 'braam']],
  [['salomon'], ['sal']],
  [['samuel'], ['sam', 'sem']],
  [['benjamin'], ['ben']],
  [['ludovicus', 'lodewijk', 'louis'], ['lou', 'lode', 'loek']],
  [['carolus', 'karel', 'charles'], ['kareltje']],
  [['lucas'], ['luuk', 'luc']],
  [['matthias', 'mattheus', 'matthijs'], ['thijs', 'tijs']],
  [['hieronymus'], ['jeroen']],
  [['walraven'], ['wally']],
  [['johanna'], ['jo', 'jans', 'hanna', 'hannie', 'jannie', 'joke', 'hanneke', 'jopie']],
  [['maria'], ['marie', 'mies', 'mia', 'mieke', 'marijke', 'ria', 'miep', 'marja', 'mary', 'maaike', 'maja']],
  [['margaretha', 'margareta', 'margrieta'], ['greet', 'grietje', 'margriet', 'marga', 'greta', 'margot']],
  [['catharina', 'katharina'], ['trijntje', 'toos', 'tine', 'katrien', 'rina', 'ina', 'karin', 'cato', 'kaatje']],
  [['elisabeth'], ['els', 'lies', 'liesbeth', 'betsy', 'betje', 'bep', 'elise', 'lisa', 'betty', 'elly']],
  [['aletta'], ['alet', 'letty']],
  [['susanna'], ['suze', 'suus', 'sanne', 'susan']],
  [['geertruida', 'gertrude'], ['truus', 'trui', 'geertje', 'gerda']],
  [['alida'], ['alie', 'aaltje', 'lida']],
  [['anna'], ['anne', 'anneke', 'annie', 'antje', 'an']],
  [['helena'], ['lena', 'leni', 'heleen', 'lenie']],
  [['magdalena'], ['lena', 'leni', 'magda', 'madelon']],
  [['christina'], ['stien', 'tina', 'christien']],
  [['isabella', 'isabelle'], ['belle', 'bella']],
  [['theresia'], ['trees', 'resi']],
];

/** For each folded name: the groups in which it is a full form, and those in which it is a short form. */
const GROUPS_BY_NAME = new Map<string, { full: Set<number>; short: Set<number> }>();
/** For each group: its full forms, plain and folded, to test initials against. */
const FULL_FORMS: string[][] = [];

ROEPNAMEN.forEach(([full, short], group) => {
  const entry = (name: string) => {
    const folded = foldSpelling(name);
    let groups = GROUPS_BY_NAME.get(folded);
    if (!groups) GROUPS_BY_NAME.set(folded, (groups = { full: new Set(), short: new Set() }));
    return groups;
  };
  for (const name of full) entry(name).full.add(group);
  for (const name of short) entry(name).short.add(group);
  FULL_FORMS.push([...full, ...full.map(foldSpelling)]);
});

function roepnaamRelated(a: string, b: string): boolean {
  const groupsA = GROUPS_BY_NAME.get(a);
  const groupsB = GROUPS_BY_NAME.get(b);
  if (!groupsA || !groupsB) return false;
  for (const group of groupsA.full) if (groupsB.full.has(group) || groupsB.short.has(group)) return true;
  for (const group of groupsA.short) if (groupsB.full.has(group)) return true;
  return false;
}

/** Full forms of the groups a (folded) name belongs to, so that "Dries" answers to "A.". */
function fullFormsOf(folded: string): string[] {
  const groups = GROUPS_BY_NAME.get(folded);
  if (!groups) return [];
  return [...groups.full, ...groups.short].flatMap((group) => FULL_FORMS[group]);
}

/**
 * Female names end in -a far more often than male ones (Hendrik/Hendrika, Johan/Johanna,
 * Cornelis/Cornelia); two names of which exactly one ends in -a are never taken as one name's
 * spelling variants or short form.
 */
function genderContrast(a: string, b: string): boolean {
  return a.endsWith('a') !== b.endsWith('a');
}

/** Latin forms of Dutch names add -us or -ius (Hendrik/Hendrikus, Stevin/Stevinus). */
export function latinised(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long === `${short}us` || long === `${short}ius`;
}

/** How surely two given names are one person's name, in [0, 1]. */
export function givenNameSimilarity(a: GivenName, b: GivenName): number {
  if (a.abbreviated || b.abbreviated) return abbreviationSimilarity(a, b);
  if (a.folded === b.folded) return 1;
  if (roepnaamRelated(a.folded, b.folded) || latinised(a.folded, b.folded)) return 0.95;
  if (genderContrast(a.folded, b.folded) || a.folded[0] !== b.folded[0]) return 0;
  const longest = Math.max(a.folded.length, b.folded.length);
  const shortest = Math.min(a.folded.length, b.folded.length);
  // A typo or an unlisted spelling in a name long enough for one changed letter to be noise; in
  // shorter names one letter makes another name (Maria/Marga, Greta/Gerda).
  if (shortest >= 6 && editDistance(a.folded, b.folded, 2) <= (longest >= 9 ? 2 : 1)) return 0.9;
  // A short form that begins the full one: Marga/Margaretha, Piet/Pieter, Sam/Samuel.
  const [short, long] = a.folded.length <= b.folded.length ? [a, b] : [b, a];
  if (short.folded.length >= 3 && long.folded.startsWith(short.folded)) return 0.85;
  return 0;
}

/** An abbreviation stands for any name it begins, in plain or folded spelling ("C." for Kees). */
function abbreviationSimilarity(a: GivenName, b: GivenName): number {
  if (a.abbreviated && b.abbreviated) {
    const same = a.plain.startsWith(b.plain) || b.plain.startsWith(a.plain) || a.folded.startsWith(b.folded) || b.folded.startsWith(a.folded);
    return same ? 0.85 : 0;
  }
  const [abbreviation, name] = a.abbreviated ? [a, b] : [b, a];
  const forms = [name.plain, name.folded, ...fullFormsOf(name.folded)];
  return forms.some((form) => form.startsWith(abbreviation.plain) || form.startsWith(abbreviation.folded)) ? 0.9 : 0;
}

/**
 * How well two lists of given names fit one person, in [0, 1]. The shorter list is matched in
 * order against the longer one, which may have more names (people drop middle names and go by
 * any of their names, Marius Job Cohen being Job Cohen). A name of the shorter list that finds no
 * partner counts against the match: Johan Rudolph and Johan Hendrik are different people.
 * Either list empty is neither evidence for nor against; the caller decides what that is worth.
 */
export function givenNamesSimilarity(a: GivenName[], b: GivenName[]): number | null {
  if (!a.length || !b.length) return null;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  // best[i][j]: the best total of pair scores matching shorter[0..i) into longer[0..j) in order.
  const best: number[][] = Array.from({ length: shorter.length + 1 }, () => new Array<number>(longer.length + 1).fill(0));
  for (let i = 1; i <= shorter.length; i++) {
    for (let j = 1; j <= longer.length; j++) {
      const paired = best[i - 1][j - 1] + givenNameSimilarity(shorter[i - 1], longer[j - 1]);
      best[i][j] = Math.max(best[i - 1][j], best[i][j - 1], paired);
    }
  }
  return best[shorter.length][longer.length] / shorter.length;
}
