// 定标 and 合同 of one lot: the owner awards the lot after the publicity (the first candidate by
// default; another needs the reason the first was not chosen), the platform issues the signed
// award notice; the owner then records the written contract at exactly the winning price with
// its PDF, and the bidders' securities are released.
import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Radio, Space, Table, Typography, Upload, type TableColumnsType, type UploadFile } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { formatDateTime } from '../format';
import { AWARD_RULES, awardOpensOn, chinaDate, download, lastDayAfter, publicityOverAt } from './shared';
import type { Award, Candidates, Contract, Evaluation } from './types';

interface AwardValues {
  bidId: string;
  reason?: string;
}

export function AwardForm({ lotId, candidates, evaluation, dealNow, onChanged }: { lotId: string; candidates: Candidates; evaluation: Evaluation; dealNow: string; onChanged: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AwardValues>();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const first = candidates.candidates.find((c) => c.rank === 1) ?? candidates.candidates[0];
  const chosen = Form.useWatch('bidId', form);
  const rank = candidates.candidates.find((c) => c.bidId === chosen)?.rank ?? 1;
  const over = Date.parse(dealNow) >= publicityOverAt(candidates.publicityUntil).getTime();
  const openObjections = candidates.objections.filter((o) => o.reply === null).length;
  const awardBy = lastDayAfter(evaluation.reportedAt!, AWARD_RULES.awardWithinDays);

  const submit = async (v: AwardValues) => {
    setBusy(true);
    setBanner(null);
    try {
      await api.post<Award>(`/api/v1/trading/lots/${lotId}/award`, { bidId: v.bidId, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) });
      void message.success('已定标：中标通知书已发出，中标结果公告已发布');
      onChanged();
    } catch (cause) {
      const outcome = applyFieldErrors(form, cause, ['bidId', 'reason']);
      if (!outcome.handled) setBanner(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="定标" className="section-card" aria-label="定标">
      <Alert
        type={over ? 'info' : 'warning'}
        showIcon
        className="section-card"
        title={`${over ? '公示期已满。' : `公示期未满：${awardOpensOn(candidates.publicityUntil)} 起方可定标。`}招标人应当自收到评标报告之日起 ${AWARD_RULES.awardWithinDays} 日内确定中标人，本标段最迟应于 ${awardBy} 定标。`}
      />
      {openObjections > 0 ? <Alert type="warning" showIcon className="section-card" title={`尚有 ${openObjections} 件异议未答复：答复前暂停定标`} /> : null}
      {banner ? <Alert type="error" showIcon title={banner} className="table-alert" /> : null}
      <Form<AwardValues> form={form} name="award" layout="vertical" initialValues={{ bidId: first?.bidId }} onFinish={(v) => void submit(v)}>
        <Form.Item label="中标人" name="bidId" rules={[{ required: true, message: '请选择中标人' }]} extra="国有资金占控股或者主导地位的依法必须进行招标的项目，招标人应当确定排名第一的中标候选人为中标人">
          <Radio.Group>
            <Space orientation="vertical">
              {candidates.candidates.map((c) => (
                <Radio key={c.bidId} value={c.bidId}>
                  第 {c.rank} 名：{c.bidderName}（{c.price} 元）
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        {rank !== 1 ? (
          <Form.Item label="排名第一的中标候选人未被确定的理由" name="reason" rules={[{ required: true, whitespace: true, message: '请写明理由（招标投标法实施条例第五十五条）' }, { min: 2, message: '至少 2 个字' }, { max: 2000, message: '最多 2000 字' }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
          </Form.Item>
        ) : null}
        <Button type="primary" htmlType="submit" loading={busy}>
          确定中标人并发出中标通知书
        </Button>
      </Form>
    </Card>
  );
}

export function AwardView({ lotId, award, canDownload }: { lotId: string; award: Award; canDownload: boolean }) {
  const { message } = App.useApp();
  return (
    <Card size="small" title="定标结果" className="section-card" aria-label="定标结果">
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="中标人">{award.winnerName}</Descriptions.Item>
        <Descriptions.Item label="中标价">{`${award.price} 元（${award.priceInCapitals}）`}</Descriptions.Item>
        <Descriptions.Item label="候选人排名">{`第 ${award.candidateRank} 名`}</Descriptions.Item>
        <Descriptions.Item label="定标时间">{formatDateTime(award.awardedAt)}</Descriptions.Item>
        {award.deviationReason ? (
          <Descriptions.Item label="未确定第一名的理由" span={2}>
            {award.deviationReason}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label="中标通知书 SM3" span={2}>
          <span className="mono">{award.noticeSm3}</span>
        </Descriptions.Item>
        <Descriptions.Item label="合同订立期限" span={2}>
          {`自中标通知书发出之日起 ${AWARD_RULES.contractWithinDays} 日内（最迟 ${lastDayAfter(award.awardedAt, AWARD_RULES.contractWithinDays)}）订立书面合同（招标投标法第四十六条）`}
        </Descriptions.Item>
      </Descriptions>
      {canDownload ? (
        <Button className="section-card" icon={<DownloadOutlined />} onClick={() => void download(`/api/v1/trading/lots/${lotId}/award/notice.pdf`, '中标通知书.pdf').catch((c: unknown) => void message.error(errorText(c)))}>
          下载中标通知书（PDF，平台签名）
        </Button>
      ) : null}
    </Card>
  );
}

interface ContractValues {
  price: string;
  signedOn: Dayjs;
  file: UploadFile[];
}

export function ContractForm({ lotId, award, dealNow, onChanged }: { lotId: string; award: Award; dealNow: string; onChanged: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ContractValues>();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const awardDay = chinaDate(new Date(award.awardedAt));
  const today = chinaDate(new Date(dealNow));

  const submit = async (v: ContractValues) => {
    const file = v.file[0]?.originFileObj;
    if (!file) return;
    setBusy(true);
    setBanner(null);
    try {
      await api.upload<Contract>('POST', `/api/v1/trading/lots/${lotId}/contract`, new Blob([file], { type: 'application/pdf' }), { price: v.price.trim(), signedOn: v.signedOn.format('YYYY-MM-DD'), name: file.name });
      void message.success('合同已登记；投标保证金已退还，本标段结束');
      onChanged();
    } catch (cause) {
      const outcome = applyFieldErrors(form, cause, ['price', 'signedOn', 'body', 'file']);
      if (!outcome.handled) setBanner(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="登记合同" className="section-card" aria-label="登记合同">
      <Typography.Paragraph type="secondary">
        合同价款须与中标价 {award.price} 元一致（招标投标法第四十六条）；登记后平台发布合同订立信息公示，并在 {AWARD_RULES.securityRefundDays} 日内退还全部投标人的投标保证金。
      </Typography.Paragraph>
      {banner ? <Alert type="error" showIcon title={banner} className="table-alert" /> : null}
      <Form<ContractValues> form={form} name="contract" layout="vertical" initialValues={{ signedOn: dayjs(today) }} onFinish={(v) => void submit(v)}>
        <Form.Item
          label="合同价款（元）"
          name="price"
          rules={[
            { required: true, whitespace: true, message: '请填写合同价款' },
            { pattern: /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/, message: '金额单位为元，最多两位小数，不含千分位' },
          ]}
        >
          <Input maxLength={16} placeholder={award.price.replace(/,/g, '')} />
        </Form.Item>
        <Form.Item label="签订日期" name="signedOn" rules={[{ required: true, message: '请选择签订日期' }]} extra={`${awardDay} 至 ${today} 之间`}>
          <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.format('YYYY-MM-DD') < awardDay || d.format('YYYY-MM-DD') > today} />
        </Form.Item>
        <Form.Item label="合同文件（PDF）" name="file" valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)} rules={[{ required: true, message: '请上传合同 PDF' }]}>
          <Upload accept="application/pdf,.pdf" maxCount={1} beforeUpload={() => false}>
            <Button icon={<UploadOutlined />}>选择文件</Button>
          </Upload>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          登记合同
        </Button>
      </Form>
    </Card>
  );
}

/** `names`: bidder names by entity id, as far as the reader knows them (the candidates). */
export function ContractView({ contract, names }: { contract: Contract; names: Map<string, string> }) {
  type Release = Contract['releases'][number];
  const columns: TableColumnsType<Release> = [
    { title: '投标人', dataIndex: 'bidderEntityId', render: (id: string) => names.get(id) ?? <span className="mono">{id.slice(0, 8)}</span> },
    { title: '退还金额（元）', dataIndex: 'amount', align: 'right', width: 160 },
    { title: '退还登记', dataIndex: 'releasedAt', width: 160, render: (v: string) => formatDateTime(v) },
    { title: '最迟到账', dataIndex: 'dueOn', width: 120 },
  ];
  return (
    <Card size="small" title="合同与保证金退还" className="section-card" aria-label="合同">
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} className="section-card">
        <Descriptions.Item label="合同价款">{`${contract.price} 元`}</Descriptions.Item>
        <Descriptions.Item label="签订日期">{contract.signedOn}</Descriptions.Item>
        <Descriptions.Item label="合同文件">{contract.fileName}</Descriptions.Item>
        <Descriptions.Item label="登记时间">{formatDateTime(contract.recordedAt)}</Descriptions.Item>
        <Descriptions.Item label="文件 SM3" span={2}>
          <span className="mono">{contract.fileSm3}</span>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text strong>投标保证金已退还（{contract.releases.length}）</Typography.Text>
      <Table<Release> rowKey="bidId" size="small" columns={columns} dataSource={contract.releases} pagination={false} aria-label="保证金退还" />
    </Card>
  );
}
