// A subject's credit archive inside another screen's drawer: an expert's (专家库) or a staff
// member's (人员信息), for staff who also read credit records. The expert's loads on demand, since
// most looks at an expert do not need it; the staff member's drawer is opened to read it.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Spin } from 'antd';
import { api, errorText } from '../api';
import type { CreditArchive } from '../types';
import { CreditArchiveView } from './CreditArchiveView';
import { CreditRecordDrawer } from './CreditRecordDrawer';
import { useCreditReference } from './CreditShared';

export interface SubjectCreditProps {
  /** The archive's API path (GET). */
  url: string;
  /** The button that loads it; without one the archive loads at once. */
  loadLabel?: string;
}

export function SubjectCredit({ url, loadLabel }: SubjectCreditProps) {
  const reference = useCreditReference();
  const [archive, setArchive] = useState<CreditArchive | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setArchive(await api.get<CreditArchive>(url));
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  }, [url]);

  useEffect(() => {
    if (!loadLabel) void load();
  }, [load, loadLabel]);

  return (
    <>
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      {archive ? (
        <CreditArchiveView archive={archive} reference={reference} onOpen={setViewing} />
      ) : loadLabel ? (
        <Button loading={loading} onClick={() => void load()}>
          {loadLabel}
        </Button>
      ) : null}
      {loading && !archive ? <Spin /> : null}
      <CreditRecordDrawer recordId={viewing} reference={reference} onClose={() => setViewing(null)} onChanged={() => void load()} />
    </>
  );
}
