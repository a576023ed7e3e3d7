import { givenNamesSimilarity, givenNameSimilarity } from './given-names';
import { editDistance, foldSpelling, plainText } from './spelling';

const full = (name: string) => ({ plain: name, folded: foldSpelling(name), abbreviated: false });
const initial = (letters: string) => ({ plain: letters, folded: foldSpelling(letters), abbreviated: true });

describe('plainText', () => {
  it('lowercases, strips diacritics and plain-writes apostrophes', () => {
    expect(plainText('Aletta Henriëtte Jacobs')).toBe('aletta henriette jacobs');
    expect(plainText('Marga Klompé')).toBe('marga klompe');
    expect(plainText('Joan Röell')).toBe('joan roell');
    expect(plainText('Jacobus van ’t Hoff')).toBe("jacobus van 't hoff");
    expect(plainText('Søren Kierkegaard')).toBe('soren kierkegaard');
  });
});

describe('foldSpelling', () => {
  it.each([
    ['ij and y', 'kuijper', 'kuyper'],
    ['ij, y and ui', 'ruijs', 'ruis'],
    ['ij/y after a consonant', 'zijlstra', 'zylstra'],
    ['ph and f', 'rudolph', 'rudolf'],
    ['c and k', 'cornelis', 'kornelis'],
    ['ck and k', 'hendrick', 'hendrik'],
    ['word-initial c before e (Cees/Kees)', 'cees', 'kees'],
    ['c before i inside a word is s', 'francisca', 'fransiska'],
    ['z and s', 'zeeman', 'seeman'],
    ['tz and ts', 'katz', 'kats'],
    ['ch and g', 'schaepman', 'sgaapman'],
    ['word-initial chr and kr', 'christiaan', 'kristiaan'],
    ['th and t', 'thorbecke', 'torbeke'],
    ['gh and g', 'huyghen', 'huygen'],
    ['double vowels', 'boerhaave', 'boerhave'],
    ['double consonants', 'hall', 'hal'],
    ['ae and aa (old spelling)', 'nicolaes', 'nicolaas'],
    ['dt at the end', 'oldenbarneveldt', 'oldenbarnevelt'],
    ['d at the end', 'noord', 'noort'],
    ['qu and kw', 'quay', 'kwaij'],
  ])('%s: %s = %s', (_, a, b) => {
    expect(foldSpelling(a)).toBe(foldSpelling(b));
  });

  it('keeps different names apart', () => {
    expect(foldSpelling('drees')).not.toBe(foldSpelling('dries'));
    expect(foldSpelling('smit')).not.toBe(foldSpelling('smits'));
    expect(foldSpelling('jacobs')).not.toBe(foldSpelling('jacobse'));
  });
});

describe('editDistance', () => {
  it('counts edits and adjacent transpositions, and stops at the limit', () => {
    expect(editDistance('torbeke', 'torbeke')).toBe(0);
    expect(editDistance('torbek', 'torbeke')).toBe(1);
    expect(editDistance('torbeek', 'torbeke')).toBe(1);
    expect(editDistance('stevin', 'stevens')).toBe(2);
    expect(editDistance('abcdefgh', 'hgfedcba', 2)).toBe(3);
  });
});

describe('given names', () => {
  it('matches a roepnaam with its baptismal name, but not two roepnamen of one name', () => {
    expect(givenNameSimilarity(full('wim'), full('willem'))).toBeGreaterThan(0.9);
    expect(givenNameSimilarity(full('dries'), full('andreas'))).toBeGreaterThan(0.9);
    expect(givenNameSimilarity(full('jan'), full('johan'))).toBeGreaterThan(0.9);
    expect(givenNameSimilarity(full('geert'), full('gerardus'))).toBeGreaterThan(0.9);
    expect(givenNameSimilarity(full('geert'), full('gerrit'))).toBe(0);
  });

  it('lets an initial stand for any name it begins, also through spelling and roepnamen', () => {
    expect(givenNameSimilarity(initial('j'), full('johan'))).toBeGreaterThan(0);
    expect(givenNameSimilarity(initial('th'), full('theodorus'))).toBeGreaterThan(0);
    expect(givenNameSimilarity(initial('c'), full('kees'))).toBeGreaterThan(0);
    expect(givenNameSimilarity(initial('a'), full('dries'))).toBeGreaterThan(0);
    expect(givenNameSimilarity(initial('h'), full('johan'))).toBe(0);
  });

  it('does not take a female form for a male one', () => {
    expect(givenNameSimilarity(full('hendrik'), full('hendrika'))).toBe(0);
    expect(givenNameSimilarity(full('johan'), full('johanna'))).toBe(0);
    expect(givenNameSimilarity(full('cornelis'), full('cornelia'))).toBe(0);
  });

  it('matches the shorter list in order, and a name without partner counts against', () => {
    const jr = [initial('j'), initial('r')];
    expect(givenNamesSimilarity(jr, [full('johan'), full('rudolph')])).toBeCloseTo(0.9);
    expect(givenNamesSimilarity([full('rudolf')], [full('johan'), full('rudolph')])).toBe(1);
    expect(givenNamesSimilarity([initial('j'), initial('h')], [full('johan'), full('rudolph')])).toBeLessThan(0.5);
    expect(givenNamesSimilarity([], [full('johan')])).toBeNull();
  });
});
