// 本主体信息: the entity's own users complete the profile, upload the business licence and see
// it compared with the form, submit for review or withdraw, and read the history of versions.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Popconfirm, Row, Space, Spin, Tag, Typography, Upload } from 'antd';
import { ProfileOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { applyFieldErrors } from '../formErrors';
import { formatDateTime, labelOf } from '../format';
import { PageHeader } from '../components/PageHeader';
import { ComparisonTable, LicenceFacts, LicenceImage } from '../registry/LicenceView';
import { ProfileForm } from '../registry/ProfileForm';
import { PROFILE_FIELDS, toInput, toValues, type ProfileValues } from '../registry/profileForm';
import { ENTITY_KIND_LABELS, EntityStatusTag, VERSION_KIND_LABELS, VersionStatusTag } from '../registry/shared';
import { VersionHistory } from '../registry/VersionHistory';
import type { EntityVersion, MyEntity, Qualification, VersionSummary } from '../types';

interface Banner {
  type: 'error' | 'warning';
  text: string;
  more: string[];
}

export default function MyEntityPage() {
  const { message } = App.useApp();
  const { can, me: account } = useAuth();
  // On a city node a province account's profile is kept at the province: shown here, changed there.
  const atProvince = (account?.homeNode ?? null) !== null;
  const navigate = useNavigate();
  const [form] = Form.useForm<ProfileValues>();
  const [mine, setMine] = useState<MyEntity | null>(null);
  const [history, setHistory] = useState<VersionSummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'submit' | 'withdraw' | 'licence'>(null);
  const [banner, setBanner] = useState<Banner | null>(null);

  const load = useCallback(async () => {
    try {
      const [me, versions] = await Promise.all([api.get<MyEntity>('/api/v1/registry/me'), atProvince ? { items: [] } : api.get<{ items: VersionSummary[] }>('/api/v1/registry/me/versions')]);
      setMine(me);
      setHistory(versions.items);
      setLoadError(null);
      const profile = me.open?.profile ?? me.current;
      form.resetFields();
      if (profile) form.setFieldsValue(toValues(profile));
    } catch (cause) {
      setLoadError(errorText(cause));
    }
  }, [form, atProvince]);

  useEffect(() => {
    void load();
  }, [load]);

  const open = mine?.open ?? null;
  const editable = !atProvince && (!open || open.status === 'draft');
  const qualificationStates = useMemo(() => {
    const saved = open?.profile ?? mine?.current ?? null;
    return new Map<string, Qualification>((saved?.qualifications ?? []).map((q) => [q.id, q]));
  }, [open, mine]);

  /** A version answer replaces the open one; the form takes its values (with the new item ids). */
  const took = async (v: EntityVersion, text: string) => {
    void message.success(text);
    setMine((m) => (m ? { ...m, open: v.status === 'draft' || v.status === 'submitted' ? v : null } : m));
    form.setFieldsValue(toValues(v.profile));
    try {
      setHistory((await api.get<{ items: VersionSummary[] }>('/api/v1/registry/me/versions')).items);
      setMine(await api.get<MyEntity>('/api/v1/registry/me'));
    } catch (cause) {
      setLoadError(errorText(cause));
    }
  };

  const failed = (cause: unknown, fields: readonly string[]) => {
    const outcome = applyFieldErrors(form, cause, fields);
    if (!outcome.handled) setBanner({ type: 'error', text: errorText(cause), more: outcome.leftover });
    else setBanner({ type: 'error', text: '请按提示修改标红的项目', more: [] });
  };

  const save = async (): Promise<EntityVersion | null> => {
    let values: ProfileValues;
    try {
      values = await form.validateFields();
    } catch {
      setBanner({ type: 'error', text: '请按提示修改标红的项目', more: [] });
      return null;
    }
    try {
      return await api.put<EntityVersion>('/api/v1/registry/me/draft', toInput(values));
    } catch (cause) {
      failed(cause, PROFILE_FIELDS);
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    setBanner(null);
    const v = await save();
    if (v) await took(v, '草稿已保存');
    setBusy(null);
  };

  // What is submitted is what the form shows: save first, then submit.
  const onSubmit = async () => {
    setBusy('submit');
    setBanner(null);
    const saved = await save();
    if (saved) {
      try {
        await took(await api.post<EntityVersion>('/api/v1/registry/me/draft/submit'), '已提交审核，请等待交易中心审核');
      } catch (cause) {
        failed(cause, PROFILE_FIELDS);
        setMine((m) => (m ? { ...m, open: saved } : m));
      }
    }
    setBusy(null);
  };

  const onWithdraw = async () => {
    setBusy('withdraw');
    setBanner(null);
    try {
      await took(await api.post<EntityVersion>('/api/v1/registry/me/draft/withdraw'), '申请已撤回，可继续修改');
    } catch (cause) {
      setBanner({ type: 'error', text: errorText(cause), more: [] });
    }
    setBusy(null);
  };

  const onLicence = async (file: File) => {
    setBusy('licence');
    setBanner(null);
    try {
      const v = await api.upload<EntityVersion>('PUT', '/api/v1/registry/me/draft/licence', file);
      await took(v, v.ocrError ? '执照已上传，但未能识别' : '执照已上传并完成识别比对');
    } catch (cause) {
      setBanner({ type: 'error', text: errorText(cause), more: [] });
    }
    setBusy(null);
  };

  if (loadError && !mine) return <Alert type="error" showIcon title={loadError} action={<Button onClick={() => void load()}>重试</Button>} />;
  if (!mine) return <Spin className="page-spin" />;
  const e = mine.entity;

  return (
    <>
      <PageHeader
        title="本主体信息"
        description="完善主体信息、上传营业执照后提交审核；审核通过后成为全省通用的主体信息。变更同样需要审核。"
        extra={
          <Space>
            {can('credit.self.read') ? (
              <Button icon={<ProfileOutlined />} onClick={() => void navigate('/credit/mine')}>
                本主体信用
              </Button>
            ) : null}
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              刷新
            </Button>
          </Space>
        }
      />
      <Card className="section-card" aria-label="主体状态">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 4 }}
          items={[
            { key: 'name', label: '主体', children: e.name },
            { key: 'code', label: e.kind === 'organisation' ? '统一社会信用代码' : '身份证号', children: <span className="mono">{e.uscc ?? e.idNumberMasked}</span> },
            { key: 'kind', label: '主体类型', children: labelOf(ENTITY_KIND_LABELS, e.kind) },
            { key: 'region', label: '注册地', children: e.regionName },
            { key: 'status', label: '主体状态', children: e.status === 'suspended' ? (<Space><EntityStatusTag status={e.status} /><Typography.Text type="danger">{e.statusReason}</Typography.Text></Space>) : <EntityStatusTag status={e.status} /> },
            {
              key: 'open',
              label: '在办申请',
              children: open ? (
                <Space size={4}>
                  <VersionStatusTag status={open.status} />
                  <span>
                    第 {open.number} 版 · {labelOf(VERSION_KIND_LABELS, open.kind)}
                  </span>
                </Space>
              ) : (
                '无'
              ),
            },
            { key: 'approved', label: '生效时间', children: formatDateTime(e.approvedAt) },
            ...(e.qualificationWarnings > 0 ? [{ key: 'warn', label: '资质提醒', children: <Tag color="orange">{e.qualificationWarnings} 项即将到期或已过期</Tag> }] : []),
          ]}
        />
        {mine.lastRejected && (!open || open.status === 'draft') ? (
          <Alert
            type="warning"
            showIcon
            title={`第 ${mine.lastRejected.number} 版申请于 ${formatDateTime(mine.lastRejected.reviewedAt)} 被退回`}
            description={`退回原因：${mine.lastRejected.reviewReason ?? '—'}`}
          />
        ) : null}
        {open?.status === 'submitted' ? <Alert type="info" showIcon title="申请正在审核中，审核完成前不能修改；如需修改请先撤回。" /> : null}
        {atProvince ? (
          <Alert type="info" showIcon title="本主体在全省统一的市场主体库（省级平台）注册，全省通用" description="此处显示已审核通过的信息；变更主体信息、上传营业执照和查看版本历史，请登录省级平台办理。" />
        ) : null}
      </Card>

      {banner ? (
        <Alert
          type={banner.type}
          showIcon
          role="alert"
          className="section-card"
          title={banner.text}
          closable={{ onClose: () => setBanner(null) }}
          description={banner.more.length > 0 ? <ul className="form-banner-list">{banner.more.map((m) => <li key={m}>{m}</li>)}</ul> : undefined}
        />
      ) : null}

      <Row gutter={16}>
        <Col xs={24} xxl={14}>
          <ProfileForm form={form} disabled={!editable} organisation={e.kind === 'organisation'} qualificationStates={qualificationStates} onFinish={() => void onSave()} />
        </Col>
        <Col xs={24} xxl={10}>
          {e.kind === 'organisation' && !atProvince ? (
            <Card
              title="营业执照"
              size="small"
              className="section-card"
              extra={
                <Upload
                  accept="image/png,image/jpeg"
                  showUploadList={false}
                  disabled={!editable || busy !== null}
                  beforeUpload={(file) => {
                    void onLicence(file);
                    return false;
                  }}
                >
                  <Button icon={<UploadOutlined />} loading={busy === 'licence'} disabled={!editable}>
                    {open?.licence ? '重新上传执照' : '上传营业执照'}
                  </Button>
                </Upload>
              }
            >
              <Typography.Paragraph type="secondary">PNG 或 JPEG 图片，不超过 10 MB。识别结果与已保存的表单逐项比对，修改表单后请先保存草稿。</Typography.Paragraph>
              <LicenceImage path={open?.licence ? `/api/v1/registry/me/files/${open.licence.digest}` : null} alt="营业执照" />
              {open ? <LicenceFacts version={open} /> : null}
              {open ? <ComparisonTable version={open} /> : null}
            </Card>
          ) : null}
        </Col>
      </Row>

      {atProvince ? null : (
        <Card className="section-card sticky-actions">
          <Space wrap>
            <Button onClick={() => void onSave()} loading={busy === 'save'} disabled={!editable || (busy !== null && busy !== 'save')}>
              保存草稿
            </Button>
            <Popconfirm title="提交后审核完成前不能修改，确认提交？" okText="提交" cancelText="取消" onConfirm={() => void onSubmit()} disabled={!editable}>
              <Button type="primary" loading={busy === 'submit'} disabled={!editable || (busy !== null && busy !== 'submit')}>
                提交审核
              </Button>
            </Popconfirm>
            {open?.status === 'submitted' ? (
              <Popconfirm title="撤回后可继续修改，需重新提交。确认撤回？" okText="撤回" cancelText="取消" onConfirm={() => void onWithdraw()}>
                <Button loading={busy === 'withdraw'}>撤回</Button>
              </Popconfirm>
            ) : null}
            {open?.updatedAt ? <Typography.Text type="secondary">草稿更新于 {formatDateTime(open.updatedAt)}</Typography.Text> : null}
          </Space>
        </Card>
      )}

      {atProvince ? null : (
        <Card title="版本历史" className="section-card">
          <VersionHistory items={history} />
        </Card>
      )}
    </>
  );
}
