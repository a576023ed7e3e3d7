import { INestApplicationContext } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import { BODY_FIELD, deriveText, DocumentStore, META_FIELD, META_KEYS, sqlOfManager } from '@quire/collab-core';
import { Actor, actorUserId } from '@quire/core';
import { PortraitAction, portraitDocumentName, PortraitsService } from '@quire/domain/manuscripts';
import { NominateInput, NominationsService, RoundsService } from '@quire/domain/nominations';
import { BallotsService, SelectionService } from '@quire/domain/voting';

/** The demo people by what they do in the story: the editors run it, the author writes, members vote. */
export interface DemoCast {
  projectId: string;
  admin: Actor;
  editor: Actor;
  author: Actor;
  member: Actor;
}

type DemoCandidate = NonNullable<NominateInput['candidate']> & { motivation: string };

const SOURCE = { kind: 'URL' as const, reference: 'Parlement.com', url: 'https://www.parlement.com/' };

/** The first round's nominees: closed, counted, and the four with most votes selected. */
const FIRST_ROUND: DemoCandidate[] = [
  {
    name: 'Johan Rudolph Thorbecke', birthYear: 1798, deathYear: 1872, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1849, periodEnd: 1872,
    offices: ['Minister van Binnenlandse Zaken'], bio: 'Staatsman; schreef de grondwetsherziening van 1848.',
    motivation: 'Zonder Thorbecke geen ministeriële verantwoordelijkheid en geen Gemeentewet: hij gaf het openbaar bestuur de vorm die het nog steeds heeft.',
  },
  {
    name: 'Cornelis Lely', birthYear: 1854, deathYear: 1929, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1886, periodEnd: 1918,
    offices: ['Minister van Waterstaat, Handel en Nijverheid'], bio: 'Waterbouwkundige; zijn plan voor de Zuiderzee werd in 1918 wet.',
    motivation: 'Lely tekende de afsluiting en inpoldering van de Zuiderzee en bracht als minister de Zuiderzeewet door het parlement.',
  },
  {
    name: 'Pieter Caland', birthYear: 1826, deathYear: 1902, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1857, periodEnd: 1891,
    offices: ['Hoofdingenieur van de Rijkswaterstaat'], bio: 'Ontwierp de Nieuwe Waterweg naar Rotterdam.',
    motivation: 'Calands Nieuwe Waterweg gaf Rotterdam een open verbinding met zee; een ambtenaar die een haven maakte.',
  },
  {
    name: 'Johan van Veen', birthYear: 1893, deathYear: 1959, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1929, periodEnd: 1959,
    offices: ['Ingenieur bij de Rijkswaterstaat'], bio: 'Gaf de aanzet tot het Deltaplan.',
    motivation: 'Van Veen waarschuwde jaren voor een stormvloed en schreef de plannen waaruit na 1953 het Deltaplan groeide.',
  },
  {
    name: 'Jan Tinbergen', birthYear: 1903, deathYear: 1994, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1945, periodEnd: 1955,
    offices: ['Directeur van het Centraal Planbureau'], bio: 'Eerste directeur van het Centraal Planbureau.',
    motivation: 'Tinbergen bouwde het Centraal Planbureau op, waarvan de ramingen nog altijd het begrotingsdebat richten.',
  },
  {
    name: 'Marga Klompé', birthYear: 1912, deathYear: 1986, governmentLayer: 'NATIONAL', gender: 'FEMALE', periodStart: 1956, periodEnd: 1971,
    offices: ['Minister van Maatschappelijk Werk'], bio: 'De eerste vrouwelijke minister van Nederland.',
    motivation: 'Klompé was de eerste vrouw in een Nederlands kabinet en legde met de Algemene Bijstandswet de basis van de bijstand.',
  },
  {
    name: 'Willem Drees', birthYear: 1886, deathYear: 1988, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1945, periodEnd: 1958,
    offices: ['Minister van Sociale Zaken', 'Minister-president'], bio: 'Zijn naam hangt aan de ouderdomsvoorziening.',
    motivation: 'Van de noodwet van 1947 tot de AOW van 1957: Drees maakte van de oudedagsvoorziening een zaak van de overheid.',
  },
  {
    name: 'Hendrik Lorentz', birthYear: 1853, deathYear: 1928, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1918, periodEnd: 1926,
    offices: ['Voorzitter van de Staatscommissie Zuiderzee'], bio: 'Natuurkundige; berekende het getij na de afsluiting.',
    motivation: 'Lorentz leidde de staatscommissie die berekende wat de afsluiting van de Zuiderzee met het getij zou doen.',
  },
];

/** The second round, open for voting, so that whoever signs in can vote and watch the standings move. */
const SECOND_ROUND: DemoCandidate[] = [
  {
    name: 'Marie Anne Tellegen', birthYear: 1893, deathYear: 1976, governmentLayer: 'NATIONAL', gender: 'FEMALE', periodStart: 1945, periodEnd: 1958,
    offices: ['Directeur van het Kabinet der Koningin'], bio: 'Een van de eerste vrouwen aan de top van de rijksdienst.',
    motivation: 'Tellegen leidde na de oorlog het Kabinet der Koningin, in een tijd dat vrouwen in de rijksdienst nauwelijks hogerop kwamen.',
  },
  {
    name: 'Cornelis van Eesteren', birthYear: 1897, deathYear: 1988, governmentLayer: 'MUNICIPAL', gender: 'MALE', periodStart: 1929, periodEnd: 1959,
    offices: ['Stedenbouwkundige bij Publieke Werken Amsterdam'], bio: 'Ontwierp het Algemeen Uitbreidingsplan van Amsterdam.',
    motivation: 'Van Eesteren tekende bij de gemeente Amsterdam het uitbreidingsplan waarop de westelijke tuinsteden zijn gebouwd.',
  },
  {
    name: 'Floor Wibaut', birthYear: 1859, deathYear: 1936, governmentLayer: 'MUNICIPAL', gender: 'MALE', periodStart: 1914, periodEnd: 1931,
    offices: ['Wethouder van Amsterdam'], bio: 'Wethouder van volkshuisvesting en financiën.',
    motivation: 'Wibaut liet als wethouder duizenden woningen bouwen en maakte volkshuisvesting tot een taak van de gemeente.',
  },
  {
    name: 'Suze Groeneweg', birthYear: 1875, deathYear: 1940, governmentLayer: 'NATIONAL', gender: 'FEMALE', periodStart: 1918, periodEnd: 1937,
    offices: ['Lid van de Tweede Kamer'], bio: 'De eerste vrouw in de Tweede Kamer.',
    motivation: 'Groeneweg werd in 1918 als eerste vrouw in de Tweede Kamer gekozen, nog voordat vrouwen zelf mochten stemmen.',
  },
  {
    name: 'Samuel van Houten', birthYear: 1837, deathYear: 1930, governmentLayer: 'NATIONAL', gender: 'MALE', periodStart: 1869, periodEnd: 1901,
    offices: ['Lid van de Tweede Kamer', 'Minister van Binnenlandse Zaken'], bio: 'Zijn Kinderwetje verbood fabrieksarbeid van kinderen onder de twaalf.',
    motivation: 'Met het Kinderwetje van 1874 begon de arbeidswetgeving, en daarmee het werk van de arbeidsinspectie.',
  },
];

/** A portrait's text in the demo: blocks of the ProseMirror body, and its sources. */
interface DemoText {
  blocks: { heading?: boolean; text: string }[];
  sources: { reference: string; url: string }[];
  imageCaption: string;
  imageCredit: string;
}

const TEXTS: Record<string, DemoText> = {
  'Cornelis Lely': {
    blocks: [
      { text: 'Cornelis Lely (1854–1929) was waterbouwkundig ingenieur en drie keer minister van Waterstaat, Handel en Nijverheid. Weinig ambtenaren hebben de kaart van Nederland zo zichtbaar veranderd.' },
      { heading: true, text: 'Ingenieur van de Zuiderzee' },
      { text: 'Vanaf 1886 werkte Lely voor de Zuiderzeevereeniging aan plannen om de Zuiderzee af te sluiten en in te polderen. Zijn ontwerp legde een dijk van Noord-Holland naar Friesland en liet achter die dijk polders droogmalen.' },
      { heading: true, text: 'Minister' },
      { text: 'Na de watersnood van 1916 kreeg hij als minister de Zuiderzeewet door het parlement. De Afsluitdijk werd in 1932 gesloten; de stad Lelystad draagt zijn naam.' },
    ],
    sources: [
      { reference: 'Parlement.com: C. Lely', url: 'https://www.parlement.com/' },
      { reference: 'Rijkswaterstaat: de Afsluitdijk', url: 'https://www.rijkswaterstaat.nl/' },
    ],
    imageCaption: 'Cornelis Lely als minister',
    imageCredit: 'Nationaal Archief (publiek domein)',
  },
  'Johan Rudolph Thorbecke': {
    blocks: [
      { text: 'Johan Rudolph Thorbecke (1798–1872) was hoogleraar in Leiden voordat hij het land ging besturen. In 1848 schreef hij de grondwetsherziening die de ministers verantwoordelijk maakte tegenover het parlement.' },
      { heading: true, text: 'Het huis van Thorbecke' },
      { text: 'Als minister van Binnenlandse Zaken gaf hij provincies en gemeenten met de Provinciewet (1850) en de Gemeentewet (1851) hun bestuur. Dat bouwwerk heet nog altijd het huis van Thorbecke.' },
    ],
    sources: [{ reference: 'Parlement.com: J.R. Thorbecke', url: 'https://www.parlement.com/' }],
    imageCaption: 'Thorbecke omstreeks 1850',
    imageCredit: 'Rijksmuseum (publiek domein)',
  },
};

/**
 * What a new installation shows: a first round closed with its results and a confirmed selection,
 * whose portraits are being written (one drafting, one in review, the others waiting for authors),
 * and a second round open for voting. Everything goes through the domain services, as the people
 * of the story would do it, so the demo obeys the same rules as real work.
 */
export async function seedDemoBook(app: INestApplicationContext, cast: DemoCast): Promise<void> {
  const rounds = app.get(RoundsService);
  const nominations = app.get(NominationsService);
  const ballots = app.get(BallotsService);
  const selections = app.get(SelectionService);
  const portraits = app.get(PortraitsService);
  const nominators = [cast.member, cast.author, cast.editor, cast.admin];

  /** A round in VOTING with `candidates` nominated by the demo people in turn; their candidate ids in order. */
  async function votingRound(title: string, description: string, candidates: DemoCandidate[]): Promise<{ roundId: string; candidateIds: string[] }> {
    const round = await rounds.create(cast.editor, cast.projectId, { title, description, votesPerMember: 5 });
    await rounds.advance(cast.editor, round.id, 'NOMINATING');
    const candidateIds: string[] = [];
    for (const [i, { motivation, ...candidate }] of candidates.entries()) {
      const nomination = await nominations.nominate(nominators[i % nominators.length], round.id, { candidate, motivation, sources: [SOURCE] });
      candidateIds.push(nomination.candidateId);
    }
    await rounds.advance(cast.editor, round.id, 'VOTING');
    return { roundId: round.id, candidateIds };
  }

  async function vote(voter: Actor, roundId: string, candidateIds: string[]): Promise<void> {
    for (const candidateId of candidateIds) await ballots.cast(voter, roundId, candidateId);
  }

  const first = await votingRound(
    'Eerste ronde: wie vormde Nederland?',
    'Draag ambtenaren voor die het land een andere vorm gaven, en stem op wie in het boek hoort.',
    FIRST_ROUND,
  );
  const [thorbecke, lely, caland, vanVeen, tinbergen, klompe, drees] = first.candidateIds;
  await vote(cast.admin, first.roundId, [thorbecke, lely, klompe, drees, tinbergen]);
  await vote(cast.editor, first.roundId, [lely, thorbecke, vanVeen, klompe]);
  await vote(cast.author, first.roundId, [lely, caland, thorbecke]);
  await vote(cast.member, first.roundId, [lely, thorbecke, klompe, vanVeen, drees]);
  await rounds.advance(cast.editor, first.roundId, 'CLOSED');

  const proposal = await selections.propose(cast.editor, first.roundId, { size: 4, seed: 'demo' });
  await selections.confirm(cast.editor, proposal.id);

  const made = await portraits.list(cast.editor, cast.projectId);
  const portraitOf = (name: string): string => {
    const portrait = made.find((p) => p.candidateName === name);
    if (!portrait) throw new Error(`The demo selection has no portrait of ${name}`);
    return portrait.id;
  };
  const team = { leadAuthorId: actorUserId(cast.author), coAuthorIds: [], editorId: actorUserId(cast.editor) };
  const steps: [string, [Actor, PortraitAction][]][] = [
    ['Cornelis Lely', [[cast.editor, 'START_DRAFTING']]],
    ['Johan Rudolph Thorbecke', [[cast.editor, 'START_DRAFTING'], [cast.author, 'SUBMIT'], [cast.editor, 'START_REVIEW']]],
  ];
  const store = new DocumentStore(sqlOfManager(app.get<DataSource>(getDataSourceToken()).manager));
  for (const [name, actions] of steps) {
    const portraitId = portraitOf(name);
    await portraits.setTeam(cast.editor, portraitId, team);
    // The text is there before submitting, so the submitted version holds it.
    await writeText(store, portraitDocumentName(portraitId), TEXTS[name]);
    for (const [actor, action] of actions) await portraits.transition(actor, portraitId, action);
  }

  const second = await votingRound(
    'Tweede ronde: wie ontbreekt er nog?',
    'Wie mist er in de eerste selectie? Stem mee; de stand verandert terwijl je kijkt.',
    SECOND_ROUND,
  );
  const [tellegen, vanEesteren, wibaut, groeneweg] = second.candidateIds;
  await vote(cast.admin, second.roundId, [tellegen, groeneweg, wibaut]);
  await vote(cast.editor, second.roundId, [vanEesteren, tellegen]);
}

/** Appends a portrait's demo text to its (new) update log, with the derived text lists show. */
async function writeText(store: DocumentStore, documentName: string, text: DemoText): Promise<void> {
  const doc = new Y.Doc();
  doc.getXmlFragment(BODY_FIELD).insert(
    0,
    text.blocks.map((block) => {
      const element = new Y.XmlElement(block.heading ? 'heading' : 'paragraph');
      // TipTap's heading level is a number and y-prosemirror keeps attributes as they are given;
      // Yjs's typings let a fragment hold elements with string attributes only.
      if (block.heading) element.setAttribute('level', 2 as unknown as string);
      element.insert(0, [new Y.XmlText(block.text)]);
      return element;
    }),
  );
  const meta = doc.getMap(META_FIELD);
  meta.set(META_KEYS.imageCaption, text.imageCaption);
  meta.set(META_KEYS.imageCredit, text.imageCredit);
  meta.set(META_KEYS.sources, Y.Array.from(text.sources.map((s) => new Y.Map<unknown>([['id', randomUUID()], ['kind', 'URL'], ['reference', s.reference], ['url', s.url]]))));
  await store.load(documentName);
  const seq = await store.appendAtEnd(documentName, Y.encodeStateAsUpdate(doc));
  await store.saveDerivedTexts([{ name: documentName, seq, derived: deriveText(doc) }]);
}
