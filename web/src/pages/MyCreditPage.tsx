// 本主体信用: a market entity's own users read their credit archive — every record about the
// entity, the bans in force today with their reasons, the score and what moved it — and file
// objections and repair requests themselves from a record's detail.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Spin, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { useMe } from '../auth';
import { CreditArchiveView } from '../components/CreditArchiveView';
import { CreditRecordDrawer } from '../components/CreditRecordDrawer';
import { useCreditReference } from '../components/CreditShared';
import { PageHeader } from '../components/PageHeader';
import type { OwnBan, OwnCreditArchive } from '../types';

function BanAlerts({ bans, onOpen }: { bans: OwnBan[]; onOpen: (id: string) => void }) {
  if (bans.length === 0) {
    return <Alert type="success" showIcon className="form-banner" title="本主体当前没有生效中的禁止参与公共资源交易的记录" />;
  }
  return (
    <section aria-label="现行禁止参与" className="form-banner">
      <Space orientation="vertical" className="full-width">
        {bans.map((b) => (
          <Alert
            key={b.recordId}
            type="error"
            showIcon
            title={`您当前被禁止参与公共资源交易：${b.from} 至 ${b.to}`}
            description={
              <>
                <div className="pre-wrap">禁止原因：{b.reason}</div>
                <div>信用记录：{b.title}</div>
                <Typography.Text type="secondary">如认为记录有误，可在记录详情中提出异议；已履行义务、纠正失信行为的，可申请信用修复。</Typography.Text>
              </>
            }
            action={
              <Button size="small" onClick={() => onOpen(b.recordId)} aria-label={`查看禁止参与的信用记录 ${b.title}`}>
                查看记录
              </Button>
            }
          />
        ))}
      </Space>
    </section>
  );
}

export default function MyCreditPage() {
  const me = useMe();
  const reference = useCreditReference('bundled');
  const [archive, setArchive] = useState<OwnCreditArchive | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);

  // On a city node a province account's credit archive is at the province (the city answers 409).
  const atProvince = me.homeNode !== null;

  const load = useCallback(async () => {
    if (atProvince) return;
    setLoading(true);
    try {
      setArchive(await api.get<OwnCreditArchive>('/api/v1/credit/me'));
      setError(null);
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  }, [atProvince]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <PageHeader
        title="本主体信用"
        description="本主体的全部信用记录（含未公示的）、当前禁止参与交易的情况及原因、信用分与等级。对记录有异议的可在异议期限内提出异议；符合条件的失信记录可申请信用修复。"
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
            刷新
          </Button>
        }
      />
      <Card>
        {atProvince ? <Alert type="info" showIcon title="本主体的信用档案由省级平台统一管理" description="请登录省级平台查看信用记录、提出异议或申请信用修复；本市的交易按省级信用信息库核验参与资格。" /> : null}
        {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
        {!archive && loading ? <Spin className="page-spin" /> : null}
        {archive ? (
          <>
            <BanAlerts bans={archive.bans} onOpen={setViewing} />
            <CreditArchiveView archive={archive} reference={reference} onOpen={setViewing} own />
          </>
        ) : null}
      </Card>
      {archive ? (
        <CreditRecordDrawer
          recordId={viewing}
          reference={reference}
          own={{ records: archive.records, objections: archive.objections, repairs: archive.repairs, accountId: me.id }}
          onClose={() => setViewing(null)}
          onChanged={() => void load()}
        />
      ) : null}
    </>
  );
}
