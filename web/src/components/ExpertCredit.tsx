// An expert's own credit archive inside the expert's drawer (for staff who also read credit
// records): loaded on demand, since most looks at an expert do not need it.
import { useState } from 'react';
import { Alert, Button, Spin } from 'antd';
import { api, errorText } from '../api';
import type { CreditArchive } from '../types';
import { CreditArchiveView } from './CreditArchiveView';
import { CreditRecordDrawer } from './CreditRecordDrawer';
import { useCreditReference } from './CreditShared';

export function ExpertCredit({ expertId }: { expertId: string }) {
  const reference = useCreditReference();
  const [archive, setArchive] = useState<CreditArchive | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      setArchive(await api.get<CreditArchive>(`/api/v1/experts/${expertId}/credit`));
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      {archive ? (
        <CreditArchiveView archive={archive} reference={reference} onOpen={setViewing} />
      ) : (
        <Button loading={loading} onClick={() => void load()}>
          查看该专家的信用档案
        </Button>
      )}
      {loading && !archive ? <Spin /> : null}
      <CreditRecordDrawer recordId={viewing} reference={reference} onClose={() => setViewing(null)} onChanged={() => void load()} />
    </>
  );
}
