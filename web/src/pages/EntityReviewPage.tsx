// 主体审核: the queue of submitted registrations and changes in the reviewer's region, and the
// review of one version: licence image, OCR comparison, changes against the approved version,
// the whole profile (masked), and the decision (退回 needs a reason).
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Drawer, Form, Input, Modal, Row, Space, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, errorText } from '../api';
import { applyFieldErrors } from '../formErrors';
import { formatDateTime, labelOf } from '../format';
import { paginationOf, usePagedList } from '../hooks';
import { PageHeader } from '../components/PageHeader';
import { ComparisonTable, LicenceFacts, LicenceImage } from '../registry/LicenceView';
import { ProfileDetails } from '../registry/ProfileDetails';
import { ENTITY_KIND_LABELS, VERSION_KIND_LABELS, VersionStatusTag } from '../registry/shared';
import { Changes } from '../registry/VersionHistory';
import type { EntityVersion, ReviewItem } from '../types';

export default function EntityReviewPage() {
  const list = usePagedList<ReviewItem>('/api/v1/registry/reviews');
  const [reviewing, setReviewing] = useState<ReviewItem | null>(null);

  const columns: TableColumnsType<ReviewItem> = [
    { title: '主体名称', dataIndex: 'entityName' },
    { title: '统一社会信用代码', dataIndex: 'uscc', width: 190, render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
    { title: '主体类型', dataIndex: 'kind', width: 130, render: (k: string) => labelOf(ENTITY_KIND_LABELS, k) },
    { title: '注册地', dataIndex: 'regionName', width: 170 },
    { title: '申请', key: 'type', width: 110, render: (_, r) => `${labelOf(VERSION_KIND_LABELS, r.type)} · 第 ${r.number} 版` },
    { title: '提交时间', dataIndex: 'submittedAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: '执照比对',
      dataIndex: 'mismatches',
      width: 110,
      render: (n: number | null) => (n === null ? <Tag>待人工核对</Tag> : n > 0 ? <Tag color="red">{n} 项不一致</Tag> : <Tag color="green">一致</Tag>),
    },
    {
      title: '操作',
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setReviewing(r)} aria-label={`审核 ${r.entityName}`}>
          审核
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title="主体审核" description="本区域市场主体的注册与变更申请，按提交时间排列。核对营业执照与表单后通过或退回。" />
      <Card>
        <div className="filter-bar">
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </div>
        {list.error ? <Alert type="error" showIcon title={list.error} className="table-alert" /> : null}
        <Table<ReviewItem>
          rowKey="versionId"
          size="middle"
          loading={list.loading}
          columns={columns}
          dataSource={list.items}
          pagination={paginationOf(list)}
          scroll={{ x: 1100 }}
          locale={{ emptyText: '暂无待审核的申请' }}
        />
      </Card>
      <ReviewDrawer
        item={reviewing}
        onClose={() => setReviewing(null)}
        onDecided={() => {
          setReviewing(null);
          list.reload();
        }}
      />
    </>
  );
}

function ReviewDrawer({ item, onClose, onDecided }: { item: ReviewItem | null; onClose: () => void; onDecided: () => void }) {
  const { message } = App.useApp();
  const [version, setVersion] = useState<EntityVersion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  const load = useCallback((i: ReviewItem) => {
    setVersion(null);
    setError(null);
    api
      .get<EntityVersion>(`/api/v1/registry/entities/${i.entityId}/versions/${i.versionId}`)
      .then(setVersion)
      .catch((cause: unknown) => setError(errorText(cause)));
  }, []);

  useEffect(() => {
    if (item) load(item);
  }, [item, load]);

  const decide = async (outcome: 'approved' | 'rejected', reason?: string) => {
    if (!item) return;
    setBusy(true);
    try {
      await api.post<EntityVersion>(`/api/v1/registry/versions/${item.versionId}/decision`, { outcome, ...(reason ? { reason } : {}) });
      void message.success(outcome === 'approved' ? `已通过：${item.entityName}` : `已退回：${item.entityName}`);
      setRejecting(false);
      onDecided();
    } catch (cause) {
      if (outcome === 'rejected') {
        const outcomeOfFields = applyFieldErrors(form, cause, ['reason']);
        if (!outcomeOfFields.handled) void message.error(errorText(cause));
      } else void message.error(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={item !== null}
      onClose={onClose}
      size={1100}
      title={item ? `审核：${item.entityName}（${labelOf(VERSION_KIND_LABELS, item.type)} · 第 ${item.number} 版）` : '审核'}
      destroyOnHidden
      extra={
        version && version.status === 'submitted' ? (
          <Space>
            <Button danger onClick={() => setRejecting(true)} disabled={busy}>
              退回
            </Button>
            <Button type="primary" loading={busy && !rejecting} onClick={() => void decide('approved')}>
              通过
            </Button>
          </Space>
        ) : null
      }
    >
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {!version && !error ? <Spin className="page-spin" /> : null}
      {version && item ? (
        <>
          <Space className="section-card">
            <VersionStatusTag status={version.status} />
            <Typography.Text type="secondary">
              创建 {formatDateTime(version.createdAt)} · 提交 {formatDateTime(version.submittedAt)} · 统一社会信用代码 <span className="mono">{item.uscc ?? '—'}</span>
            </Typography.Text>
          </Space>
          <Row gutter={16}>
            <Col xs={24} lg={10}>
              <Card title="营业执照" size="small" className="section-card">
                <LicenceImage path={version.licence ? `/api/v1/registry/entities/${item.entityId}/files/${version.licence.digest}` : null} alt={`${item.entityName} 营业执照`} />
                <LicenceFacts version={version} />
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card title="执照识别比对" size="small" className="section-card">
                {version.licence ? <ComparisonTable version={version} /> : <Typography.Text type="secondary">{item.kind === 'person' ? '自然人主体无营业执照' : '未上传营业执照'}</Typography.Text>}
              </Card>
              <Card title={version.kind === 'change' ? '与已生效版本相比的变更' : '申请内容'} size="small" className="section-card">
                {version.kind === 'change' ? <Changes changes={version.changes} /> : <Typography.Text type="secondary">首次注册，全部内容见下方</Typography.Text>}
              </Card>
            </Col>
          </Row>
          <Card title="主体信息（脱敏）" size="small">
            <ProfileDetails profile={version.profile} />
          </Card>
        </>
      ) : null}
      <Modal
        open={rejecting}
        title="退回申请"
        okText="退回"
        okButtonProps={{ danger: true, loading: busy }}
        cancelText="取消"
        onCancel={() => setRejecting(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} name="reject" layout="vertical" preserve={false} onFinish={(v) => void decide('rejected', v.reason.trim())}>
          <Form.Item
            label="退回原因"
            name="reason"
            extra="原因将展示给申请主体，请写明需要修改的内容"
            rules={[
              { required: true, whitespace: true, message: '请填写退回原因' },
              { max: 1000, message: '原因最多 1000 字' },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
