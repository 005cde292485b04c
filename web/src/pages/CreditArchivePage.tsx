// 信用档案: one subject's archive by USCC or ID number (score, grade, what moved the score,
// records, objections, repairs), and 参与资格核验, the check every trading procedure runs.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Radio, Select, Tabs, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { CreditArchiveView } from '../components/CreditArchiveView';
import { CreditRecordDrawer } from '../components/CreditRecordDrawer';
import { ID_NUMBER_MESSAGE, ID_NUMBER_PATTERN, SeverityTag, useCreditReference, type CreditReference } from '../components/CreditShared';
import { USCC_MESSAGE, USCC_PATTERN, showInlineErrors } from '../components/ExpertShared';
import { PageHeader } from '../components/PageHeader';
import { useRegions, type SelectTreeNode } from '../hooks';
import type { CreditArchive, ParticipationAnswer } from '../types';

type KeyKind = 'uscc' | 'idNumber';

interface SubjectValues {
  keyKind: KeyKind;
  key: string;
}

const KEY_LABELS: Record<KeyKind, string> = { uscc: '统一社会信用代码', idNumber: '身份证号' };

/** The subject key field: USCC or ID number, checked for shape here and for check digits by the server. */
function SubjectKeyFields({ keyKind, label }: { keyKind: KeyKind | undefined; label: string }) {
  const kind = keyKind ?? 'uscc';
  return (
    <>
      <Form.Item name="keyKind" label="查询方式">
        <Radio.Group optionType="button" options={[{ value: 'uscc', label: '统一社会信用代码' }, { value: 'idNumber', label: '身份证号' }]} />
      </Form.Item>
      <Form.Item
        name="key"
        label={label}
        normalize={(v: string) => v.toUpperCase()}
        rules={[
          { required: true, whitespace: true, message: `请输入${KEY_LABELS[kind]}` },
          kind === 'uscc' ? { pattern: USCC_PATTERN, message: USCC_MESSAGE } : { pattern: ID_NUMBER_PATTERN, message: ID_NUMBER_MESSAGE },
        ]}
      >
        <Input maxLength={18} className="mono subject-key" autoComplete="off" placeholder={kind === 'uscc' ? '18 位统一社会信用代码' : '18 位身份证号'} />
      </Form.Item>
    </>
  );
}

const subjectBody = (v: SubjectValues) => ({ [v.keyKind]: v.key.trim().toUpperCase() });

function ArchiveTab({ reference, onOpen, revision }: { reference: CreditReference; onOpen: (id: string) => void; revision: number }) {
  const [form] = Form.useForm<SubjectValues>();
  const keyKind = Form.useWatch('keyKind', form);
  const [archive, setArchive] = useState<CreditArchive | null>(null);
  const [asked, setAsked] = useState<SubjectValues | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const shown = useRef(revision);

  const query = async (v: SubjectValues) => {
    setLoading(true);
    setError(null);
    try {
      setArchive(await api.post<CreditArchive>('/api/v1/credit/subjects/archive', subjectBody(v)));
      setAsked(v);
    } catch (cause) {
      setArchive(null);
      if (!showInlineErrors(form, cause, ['key'], { uscc: 'key', idNumber: 'key' })) setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  };

  // A change made in the drawer (an objection filed) shows in the archive at once.
  useEffect(() => {
    if (shown.current === revision) return;
    shown.current = revision;
    if (asked) void query(asked);
  }, [revision]);

  return (
    <>
      <Form<SubjectValues> form={form} name="creditArchive" layout="inline" className="filter-form" initialValues={{ keyKind: 'uscc' }} onFinish={(v) => void query(v)}>
        <SubjectKeyFields keyKind={keyKind} label="主体代码" />
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={loading}>
            查询档案
          </Button>
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} className="table-alert" /> : null}
      {archive ? (
        <CreditArchiveView archive={archive} reference={reference} onOpen={onOpen} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="输入统一社会信用代码或身份证号查询信用档案" />
      )}
    </>
  );
}

interface CheckValues extends SubjectValues {
  category: string;
  regionCode: string;
  at: Dayjs;
}

function ParticipationTab({ reference, regionTree, onOpen }: { reference: CreditReference; regionTree: SelectTreeNode[]; onOpen: (id: string) => void }) {
  const [form] = Form.useForm<CheckValues>();
  const keyKind = Form.useWatch('keyKind', form);
  const [answer, setAnswer] = useState<ParticipationAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const check = async (v: CheckValues) => {
    setLoading(true);
    setError(null);
    try {
      setAnswer(await api.post<ParticipationAnswer>('/api/v1/credit/participation-check', { subject: subjectBody(v), category: v.category, regionCode: v.regionCode, at: v.at.toISOString() }));
    } catch (cause) {
      setAnswer(null);
      // `subject.uscc` / `subject.idNumber` → the one key field.
      const rename = { subject: 'key' };
      if (!showInlineErrors(form, cause, ['key', 'category', 'regionCode', 'at'], rename)) setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <Typography.Paragraph type="secondary">按交易类别、交易所在区划和时间核验主体是否被禁止参与（与交易系统报名、投标、定标时的核验相同；不受数据范围限制，任何地区发布的禁止参与都计入）。</Typography.Paragraph>
      <Form<CheckValues> form={form} name="creditParticipation" layout="vertical" initialValues={{ keyKind: 'uscc', at: dayjs() }} onFinish={(v) => void check(v)} className="participation-form">
        <div className="form-grid">
          <SubjectKeyFields keyKind={keyKind} label="核验主体代码" />
          <Form.Item name="category" label="交易类别" rules={[{ required: true, message: '请选择交易类别' }]}>
            <Select options={(reference.categories?.items ?? []).map((c) => ({ value: c.code, label: c.name }))} placeholder="请选择交易类别" />
          </Form.Item>
          <Form.Item name="regionCode" label="交易所在区划" rules={[{ required: true, message: '请选择交易所在区划' }]}>
            <TreeSelect treeData={regionTree} showSearch treeNodeFilterProp="title" placeholder="请选择行政区划" />
          </Form.Item>
          <Form.Item name="at" label="核验时间" rules={[{ required: true, message: '请选择核验时间' }]}>
            <DatePicker showTime format="YYYY-MM-DD HH:mm" className="full-width" />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" loading={loading}>
          核验参与资格
        </Button>
      </Form>
      {error ? <Alert type="error" showIcon title={error} className="import-result" /> : null}
      {answer ? (
        answer.allowed ? (
          <Alert className="import-result" type="success" showIcon title="可以参与" description="未发现覆盖该交易类别、区划和时间的禁止参与记录。" />
        ) : (
          <section className="import-result" aria-label="参与资格核验结果">
            <Alert type="error" showIcon title="不得参与" description={`共 ${answer.blocking.length} 条禁止参与记录覆盖该交易。`} className="form-banner" />
            {answer.blocking.map((b) => (
              <Card key={b.recordId} size="small" className="drawer-card" title={b.title} extra={<SeverityTag severity={b.severity} />}>
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label="禁止参与">{b.reason}</Descriptions.Item>
                  <Descriptions.Item label="依据">{b.basis}</Descriptions.Item>
                  <Descriptions.Item label="截止日期">{b.until}</Descriptions.Item>
                </Descriptions>
                <Button type="link" size="small" onClick={() => onOpen(b.recordId)} className="no-padding">
                  查看信用记录
                </Button>
              </Card>
            ))}
          </section>
        )
      ) : null}
    </>
  );
}

export default function CreditArchivePage() {
  const reference = useCreditReference();
  const regions = useRegions();
  const [viewing, setViewing] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const loadError = reference.error ?? regions.error;
  return (
    <>
      <PageHeader title="信用档案" description="按统一社会信用代码或身份证号查询主体的信用分、等级、信用记录、异议和修复，或核验其参与某项交易的资格。身份证号只在请求内容中传递，不出现在地址中。" />
      <Card>
        {loadError ? <Alert type="warning" showIcon title={loadError} className="table-alert" /> : null}
        <Tabs
          items={[
            { key: 'archive', label: '信用档案', children: <ArchiveTab reference={reference} onOpen={setViewing} revision={revision} /> },
            { key: 'participation', label: '参与资格核验', children: <ParticipationTab reference={reference} regionTree={regions.treeData} onOpen={setViewing} /> },
          ]}
        />
      </Card>
      <CreditRecordDrawer recordId={viewing} reference={reference} onClose={() => setViewing(null)} onChanged={() => setRevision((r) => r + 1)} />
    </>
  );
}

