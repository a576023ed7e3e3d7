import { Heading } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CollabPerson, CollabSession } from './collab-session';
import { useCollabPeople } from './useCollabSession';

/** One entry per person, however many tabs they have open; the local person first. */
function distinctPeople(people: CollabPerson[]): CollabPerson[] {
  const byUser = new Map<string, CollabPerson>();
  for (const person of people) if (!byUser.has(person.userId) || person.self) byUser.set(person.userId, person);
  return [...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}

/** Who has the portrait open now, in the colour of their caret. */
export function PresenceList({ session }: { session: CollabSession }) {
  const { t } = useTranslation();
  const headingId = useId();
  const people = distinctPeople(useCollabPeople(session));
  return (
    <section aria-labelledby={headingId} className="quire-editor__panel">
      <Heading level={2} id={headingId}>
        {t('portraitEditor.presence')}
      </Heading>
      <ul className="quire-presence">
        {people.map((person) => (
          <li key={person.userId} className="quire-presence__person">
            <span className="quire-presence__swatch" style={{ backgroundColor: person.color }} aria-hidden="true" />
            {person.self ? t('portraitEditor.you', { name: person.name }) : person.name}
          </li>
        ))}
      </ul>
    </section>
  );
}
