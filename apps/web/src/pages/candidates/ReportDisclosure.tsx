import { useMutation } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Disclosure } from '../../components/dialogs';
import { TextAreaField } from '../../components/fields';
import { Form, formText, SubmitButton, useFormAction } from '../../components/form';
import { CANDIDATE, REPORT, ReportTarget } from '../../graphql/nominations';

function ReportForm({ targetType, targetId, onReported }: { targetType: ReportTarget; targetId: string; onReported(): void }) {
  const { t } = useTranslation();
  const [report] = useMutation(REPORT);
  const action = useFormAction(async (data) => {
    // Enough reports hide what was reported at once; the candidate's page then shows it no more.
    await report({ variables: { targetType, targetId, reason: formText(data, 'reason') }, refetchQueries: [CANDIDATE], awaitRefetchQueries: true });
    onReported();
    return true;
  });
  return (
    <Form action={action} messages={{ CONFLICT: t('report.already') }}>
      <TextAreaField name="reason" label={t('report.reason')} description={t('report.reasonHint')} rows={3} required />
      <SubmitButton>{t('report.submit')}</SubmitButton>
    </Form>
  );
}

/** "Report" under a nomination or comment: a short form for the moderators, in place. */
export function ReportDisclosure({ targetType, targetId, onReported }: { targetType: ReportTarget; targetId: string; onReported(): void }) {
  const { t } = useTranslation();
  return (
    <Disclosure label={t(targetType === 'NOMINATION' ? 'report.nomination' : 'report.comment')}>
      {(close) => (
        <ReportForm
          targetType={targetType}
          targetId={targetId}
          onReported={() => {
            close();
            onReported();
          }}
        />
      )}
    </Disclosure>
  );
}
