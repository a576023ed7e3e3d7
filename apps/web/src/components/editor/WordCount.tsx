import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import { wordCountVerdict } from './words';

/** The length of the text against the project's limits, as a meter and in words. */
export function WordCount({ count, min, max }: { count: number; min: number; max: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const verdict = wordCountVerdict(count, min, max);
  const limits = { min: format.number(min), max: format.number(max) };
  return (
    <section aria-labelledby={headingId} className="quire-editor__panel">
      <Heading level={2} id={headingId}>
        {t('portraitEditor.words.title')}
      </Heading>
      <Paragraph className="quire-word-count">
        <strong>{t('portraitEditor.words.count', { count, formatted: format.number(count) })}</strong>{' '}
        <span className={`quire-word-count__verdict quire-word-count__verdict--${verdict}`}>
          {verdict === 'below' && t('portraitEditor.words.below', { count: min - count, formatted: format.number(min - count) })}
          {verdict === 'above' && t('portraitEditor.words.above', { count: count - max, formatted: format.number(count - max) })}
          {verdict === 'within' && t('portraitEditor.words.within')}
        </span>
      </Paragraph>
      <meter
        className="quire-word-count__meter"
        aria-labelledby={headingId}
        min={0}
        max={Math.max(max, count)}
        low={min}
        high={max}
        optimum={(min + max) / 2}
        value={count}
      />
      <Paragraph>{t('portraitEditor.words.limits', limits)}</Paragraph>
    </section>
  );
}
