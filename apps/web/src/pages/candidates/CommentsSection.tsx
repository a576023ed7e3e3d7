import { useMutation } from '@apollo/client/react';
import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Disclosure } from '../../components/dialogs';
import { TextAreaField } from '../../components/fields';
import { Form, formText, SubmitButton, useFormAction } from '../../components/form';
import { Translated } from '../../components/Translated';
import { useFormat } from '../../format';
import { ADD_COMMENT, CANDIDATE, CandidateProfile, Comment } from '../../graphql/nominations';
import { useMe } from '../../session/session';
import { ReportDisclosure } from './ReportDisclosure';

interface CommentFormProps {
  candidateId: string;
  parentId?: string;
  label: string;
  submitLabel: string;
  onAdded(): void;
}

function CommentForm({ candidateId, parentId, label, submitLabel, onAdded }: CommentFormProps) {
  const [addComment] = useMutation(ADD_COMMENT);
  const action = useFormAction(
    async (data) => {
      await addComment({ variables: { candidateId, parentId, body: formText(data, 'body') }, refetchQueries: [CANDIDATE], awaitRefetchQueries: true });
      onAdded();
      return true;
    },
    { resetOnSuccess: true },
  );
  return (
    <Form action={action}>
      <TextAreaField name="body" label={label} rows={3} required />
      <SubmitButton>{submitLabel}</SubmitButton>
    </Form>
  );
}

interface ThreadProps {
  candidateId: string;
  /** Replies by the comment they answer (null: the candidate itself). */
  repliesTo: Map<string | null, Comment[]>;
  parentId: string | null;
  announce(notice: ReactNode): void;
}

/** Comments answering `parentId`, each with its own replies below it. */
function Thread({ candidateId, repliesTo, parentId, announce }: ThreadProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useMe();
  const comments = repliesTo.get(parentId) ?? [];
  if (!comments.length) return null;
  return (
    <ol className={parentId ? 'quire-thread quire-thread--replies' : 'quire-thread'}>
      {comments.map((comment) => (
        <li key={comment.id}>
          <article className="quire-comment" aria-label={t('comments.by', { name: comment.author.displayName })}>
            <Paragraph className="quire-muted">
              <strong>{comment.author.displayName}</strong> · {format.dateTime(comment.createdAt)}
              {comment.status === 'HIDDEN' && ` · ${t('comments.hidden')}`}
            </Paragraph>
            <Paragraph className="quire-prose">{comment.body}</Paragraph>
            <div className="quire-actions">
              {comment.status !== 'HIDDEN' && (
                <Disclosure label={t('comments.reply')}>
                  {(close) => (
                    <CommentForm
                      candidateId={candidateId}
                      parentId={comment.id}
                      label={t('comments.replyTo', { name: comment.author.displayName })}
                      submitLabel={t('comments.sendReply')}
                      onAdded={() => {
                        close();
                        announce(<Translated>{(tr) => tr('comments.added')}</Translated>);
                      }}
                    />
                  )}
                </Disclosure>
              )}
              {me?.id !== comment.author.id && <ReportDisclosure targetType="COMMENT" targetId={comment.id} onReported={() => announce(<Translated>{(tr) => tr('report.thanks')}</Translated>)} />}
            </div>
          </article>
          <Thread candidateId={candidateId} repliesTo={repliesTo} parentId={comment.id} announce={announce} />
        </li>
      ))}
    </ol>
  );
}

/** The conversation about a candidate: threaded comments, replies and a new comment. */
export function CommentsSection({ candidate, announce }: { candidate: CandidateProfile; announce(notice: ReactNode): void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const shown = new Set(candidate.comments.map((c) => c.id));
  const repliesTo = new Map<string | null, Comment[]>();
  for (const comment of candidate.comments) {
    // A reply to a comment the moderators hid stays readable, at the top level.
    const parent = comment.parentId && shown.has(comment.parentId) ? comment.parentId : null;
    repliesTo.set(parent, [...(repliesTo.get(parent) ?? []), comment]);
  }

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('comments.title', { count: candidate.commentCount })}
      </Heading>
      {candidate.comments.length === 0 && <Paragraph>{t('comments.empty')}</Paragraph>}
      <Thread candidateId={candidate.id} repliesTo={repliesTo} parentId={null} announce={announce} />
      <CommentForm candidateId={candidate.id} label={t('comments.new')} submitLabel={t('comments.send')} onAdded={() => announce(<Translated>{(tr) => tr('comments.added')}</Translated>)} />
    </section>
  );
}
