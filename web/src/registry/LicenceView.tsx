// The business licence of a version: the image (fetched with the session cookie, shown from an
// object URL), and the field-by-field comparison of the form with what the OCR read.
import { Alert, Descriptions, Empty, Image, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { formatDateTime } from '../format';
import type { ComparisonField, EntityVersion } from '../types';
import { formatSize, useObjectUrl, VERDICT_COLORS, VERDICT_LABELS } from './shared';

export function LicenceImage({ path, alt }: { path: string | null; alt: string }) {
  const { url, error } = useObjectUrl(path);
  if (!path) return <Empty description="尚未上传营业执照" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  if (error) return <Alert type="error" showIcon title={`执照图片加载失败：${error}`} />;
  if (!url) return <Spin />;
  return <Image src={url} alt={alt} className="licence-image" />;
}

const columns: TableColumnsType<ComparisonField> = [
  { title: '项目', dataIndex: 'label', width: 140 },
  { title: '表单', dataIndex: 'formValue', render: (v: string | null) => v ?? '—' },
  { title: '执照识别', dataIndex: 'ocrValue', render: (v: string | null) => v ?? '—' },
  {
    title: '结论',
    key: 'verdict',
    width: 260,
    render: (_, f) => (
      <>
        <Tag color={VERDICT_COLORS[f.verdict]}>{VERDICT_LABELS[f.verdict]}</Tag>
        {f.message ? <Typography.Text type={f.verdict === 'match' ? 'secondary' : undefined}>{f.message}</Typography.Text> : null}
      </>
    ),
  },
];

/** The OCR comparison of a version (or why there is none). */
export function ComparisonTable({ version }: { version: EntityVersion }) {
  if (!version.licence) return null;
  if (version.ocrError) return <Alert type="warning" showIcon title="执照识别未成功" description={version.ocrError} />;
  const c = version.comparison;
  if (!c) return <Alert type="info" showIcon title="暂无识别比对结果" description="执照已保存，比对结果未生成，请人工核对执照与表单。" />;
  return (
    <>
      {c.mismatches > 0 ? (
        <Alert type="error" showIcon className="table-alert" title={`表单与营业执照有 ${c.mismatches} 项不一致`} />
      ) : (
        <Alert type="success" showIcon className="table-alert" title="表单与营业执照识别结果一致" />
      )}
      {c.usccCheck.message ? (
        <Alert
          type={c.usccCheck.formValid && c.usccCheck.ocrValid !== false ? 'info' : 'warning'}
          showIcon
          className="table-alert"
          title={`统一社会信用代码校验：${c.usccCheck.message}`}
        />
      ) : null}
      <Table<ComparisonField>
        rowKey="field"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={c.fields}
        rowClassName={(f) => (f.verdict === 'mismatch' ? 'row-mismatch' : f.verdict === 'confusable' ? 'row-confusable' : '')}
        aria-label="执照比对"
      />
    </>
  );
}

/** The licence image beside the facts of the upload. */
export function LicenceFacts({ version }: { version: EntityVersion }) {
  if (!version.licence) return null;
  return (
    <Descriptions
      size="small"
      column={1}
      items={[
        { key: 'at', label: '上传时间', children: formatDateTime(version.licence.uploadedAt) },
        { key: 'size', label: '文件', children: `${version.licence.mediaType}，${formatSize(version.licence.size)}` },
        ...(version.ocr ? [{ key: 'ocr', label: '识别引擎', children: `${version.ocr.engine}（${Math.round(version.ocr.durationMs)} ms）` }] : []),
      ]}
    />
  );
}
