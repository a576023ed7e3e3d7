/**
 * Spelling of Dutch names: plain forms (lowercase, no diacritics) and folded forms in which
 * spellings that sound the same coincide, so that "Kuyper", "Kuijper" and "Kuiper", or
 * "Oldenbarnevelt" and "Oldenbarneveldt", get one key.
 */

/** Letters that a Unicode decomposition leaves alone but a Dutch reader treats as plain ones. */
const SPECIAL_LETTERS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', ı: 'i', ð: 'd', þ: 'th' };

/** Lowercase, without diacritics (ë → e, ĳ → ij), with typographic apostrophes made plain. */
export function plainText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđıðþ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter)
    .replace(/[’‘`´ʼ′]/g, "'");
}

const VOWELS = 'aeiou';

/**
 * Folds spelling variants of one plain word (letters only) to one form. The rules are those of
 * Dutch spelling history and pronunciation, not of any particular name:
 * - ij and y are one letter (Zijlstra/Zylstra); after a vowel they sound as i (Kuyper/Kuiper,
 *   Ruys/Ruis, Meyer/Meier), at the start before a vowel as j (Yolanda/Jolanda), elsewhere as ei
 *   (Dijk/Deik/Dyk);
 * - ph = f, th = t, gh = g, ch = g (Schaepman, Hooch), but word-initial chr/chl = kr/kl
 *   (Christiaan/Kristiaan) and word-initial ch + vowel = sj (Charles);
 * - c = k, except before e/i inside a word where it is s (Francisca/Fransiska); word-initial c is
 *   k even then (Cees/Kees); ck = k; qu = kw; x = ks;
 * - z = s, tz = ts (Zeeman/Seeman, Katz/Kats);
 * - ae = a (old spelling: Nicolaes, Hasselaer);
 * - doubled letters count once (Hall/Hal, Boerhaave/Boerhave, Jansen/Janssen);
 * - a final d or dt sounds as t (Oldenbarneveldt, Noord/Noort).
 */
export function foldSpelling(plainWord: string): string {
  let folded = foldedWords.get(plainWord);
  if (folded === undefined) {
    folded = foldWord(plainWord.replace(/[^a-z]/g, ''));
    // Names repeat (a few thousand given names and surnames cover most people): remember them.
    if (foldedWords.size >= FOLDED_WORDS_KEPT) foldedWords.clear();
    foldedWords.set(plainWord, folded);
  }
  return folded;
}

const FOLDED_WORDS_KEPT = 50_000;
const foldedWords = new Map<string, string>();

function foldWord(letters: string): string {
  if (!letters) return letters;
  let word = letters

    .replace(/ij/g, 'y')
    .replace(/ae/g, 'a')
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/gh/g, 'g')
    .replace(/^ch(?=[rl])/, 'k')
    .replace(/^ch(?=[aeiouy])/, 'sj')
    .replace(/ch/g, 'g')
    .replace(/ck/g, 'k')
    .replace(/qu/g, 'kw')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/^c/, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/tz/g, 'ts')
    .replace(/z/g, 's');
  word = foldY(word);
  word = collapseDoubles(word).replace(/d?t$|d$/, 't');
  return collapseDoubles(word);
}

function foldY(word: string): string {
  let folded = '';
  for (let i = 0; i < word.length; i++) {
    const letter = word[i];
    if (letter !== 'y') {
      folded += letter;
    } else if (i > 0 && VOWELS.includes(word[i - 1])) {
      folded += 'i';
    } else if (i === 0 && i + 1 < word.length && VOWELS.includes(word[i + 1])) {
      folded += 'j';
    } else {
      folded += 'ei';
    }
  }
  return folded;
}

function collapseDoubles(word: string): string {
  return word.replace(/(.)\1+/g, '$1');
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), stopping early: returns
 * `limit + 1` as soon as the distance is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Math.max(a.length, b.length)): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, twoBack[j - 2] + 1);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    twoBack = previous;
    previous = current;
  }
  return previous[b.length];
}
