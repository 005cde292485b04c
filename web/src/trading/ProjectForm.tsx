// The registration of a tender project and its lots (登记 / 修改): one modal for both. An agency
// (招标代理机构) names the tenderer it acts for by the tenderer's USCC.
import { Button, Col, Form, Input, Row, Select, Space, TreeSelect, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { ApiError, api } from '../api';
import { FormModal } from '../components/FormModal';
import { optionsOf } from '../format';
import { REGION_TREE, USCC_PATTERN } from '../registry/shared';
import type { LotKind, TenderCategory, TenderMethod, TenderProject } from '../types';
import { LOT_KIND_LABELS, TENDER_CATEGORY_LABELS, TENDER_METHOD_LABELS, YUAN_PATTERN } from './shared';

export interface ProjectValues {
  name: string;
  investmentCode?: string;
  category: TenderCategory;
  tenderMethod: TenderMethod;
  regionCode: string;
  /** For an agency: the tenderer's USCC as typed (resolved to the entity on save). */
  tendererEntityId?: string;
  supervisingDepartment: string;
  fundingSource: string;
  description?: string;
  lots: { name: string; kind: LotKind; estimatedPrice: string }[];
}

export const PROJECT_FIELDS = ['name', 'investmentCode', 'category', 'tenderMethod', 'regionCode', 'tendererEntityId', 'supervisingDepartment', 'fundingSource', 'description', 'lots'] as const;

/** Only Shanxi (14xxxx) can be picked: the province's platform registers the province's projects. */
const SHANXI_TREE = REGION_TREE.filter((node) => node.value.startsWith('14'));

/** The tenderer an agency names by USCC: `GET /api/v1/trading/tenderers?uscc=` (an active entity with the 招标人 role). */
async function resolveTenderer(uscc: string): Promise<string> {
  try {
    const party = await api.get<{ id: string; name: string }>('/api/v1/trading/tenderers', { uscc });
    return party.id;
  } catch (cause) {
    if (cause instanceof ApiError && cause.status === 404) {
      throw new ApiError(400, {
        detail: '未能按统一社会信用代码找到委托的招标人',
        errors: [{ field: 'tendererEntityId', rule: 'tenderer', message: '未找到该招标人：须为已通过注册审核、登记了「招标人」角色的市场主体' }],
      });
    }
    throw cause;
  }
}

export function toInput(values: ProjectValues, tendererEntityId: string | undefined) {
  return {
    name: values.name.trim(),
    ...(values.investmentCode?.trim() ? { investmentCode: values.investmentCode.trim() } : {}),
    category: values.category,
    tenderMethod: values.tenderMethod,
    regionCode: values.regionCode,
    ...(tendererEntityId ? { tendererEntityId } : {}),
    supervisingDepartment: values.supervisingDepartment.trim(),
    fundingSource: values.fundingSource.trim(),
    ...(values.description?.trim() ? { description: values.description.trim() } : {}),
    lots: values.lots.map((l) => ({ name: l.name.trim(), kind: l.kind, estimatedPrice: l.estimatedPrice.trim() })),
  };
}

export function valuesOf(p: TenderProject): ProjectValues {
  return {
    name: p.name,
    investmentCode: p.investmentCode ?? '',
    category: p.category,
    tenderMethod: p.tenderMethod,
    regionCode: p.regionCode,
    supervisingDepartment: p.supervisingDepartment,
    fundingSource: p.fundingSource,
    description: p.description,
    lots: p.lots.map((l) => ({ name: l.name, kind: l.kind, estimatedPrice: l.estimatedPrice.replace(/,/g, '') })),
  };
}

interface Props {
  open: boolean;
  /** Null: a new project. */
  project: TenderProject | null;
  /** The signed-in entity is registered as an agency (and may name another tenderer). */
  agency: boolean;
  onClose: () => void;
  onSaved: (p: TenderProject) => void;
}

export function ProjectFormModal({ open, project, agency, onClose, onSaved }: Props) {
  const naming = agency && project === null;
  const submit = async (values: ProjectValues) => {
    const uscc = values.tendererEntityId?.trim();
    const tenderer = project ? (project.agencyEntityId ? project.tendererEntityId : undefined) : naming && uscc ? await resolveTenderer(uscc) : undefined;
    const body = toInput(values, tenderer);
    const saved = project ? await api.put<TenderProject>(`/api/v1/trading/projects/${project.id}`, body) : await api.post<TenderProject>('/api/v1/trading/projects', body);
    onSaved(saved);
  };

  return (
    <FormModal<ProjectValues>
      open={open}
      title={project ? `修改招标项目：${project.name}` : '登记招标项目'}
      name="tender-project"
      fields={PROJECT_FIELDS}
      width={880}
      okText="保存"
      initialValues={project ? valuesOf(project) : { tenderMethod: 'open', category: 'construction_works', lots: [{ name: '', kind: 'construction', estimatedPrice: '' }] }}
      onSubmit={submit}
      onClose={onClose}
    >
      <Row gutter={16}>
        <Col span={24}>
          <Form.Item label="项目名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写项目名称' }, { min: 4, message: '项目名称至少 4 个字' }, { max: 200, message: '最多 200 个字' }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="投资项目代码"
            name="investmentCode"
            extra="投资项目在线审批监管平台赋予的统一代码，如 2026-140105-48-01-000123"
            rules={[{ pattern: /^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$/, message: '格式为 YYYY-行政区划-行业-类别-流水号，如 2026-140105-48-01-000123' }]}
          >
            <Input maxLength={24} className="mono" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="所在地区" name="regionCode" extra="山西省内的行政区划" rules={[{ required: true, message: '请选择项目所在地区' }]}>
            <TreeSelect treeData={SHANXI_TREE} showSearch treeNodeFilterProp="title" placeholder="选择市、县（区）" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="招标类别" name="category" rules={[{ required: true, message: '请选择招标类别' }]}>
            <Select options={optionsOf(TENDER_CATEGORY_LABELS)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="招标方式" name="tenderMethod" rules={[{ required: true, message: '请选择招标方式' }]}>
            <Select options={optionsOf(TENDER_METHOD_LABELS)} />
          </Form.Item>
        </Col>
        {naming ? (
          <Col span={24}>
            <Form.Item
              label="委托招标人（统一社会信用代码）"
              name="tendererEntityId"
              extra="代理机构代招标人登记时填写委托人的统一社会信用代码；招标人自行登记时留空"
              rules={[{ pattern: USCC_PATTERN, message: '统一社会信用代码为 18 位数字或大写字母' }]}
            >
              <Input maxLength={18} className="mono" />
            </Form.Item>
          </Col>
        ) : null}
        <Col xs={24} md={12}>
          <Form.Item label="行政监督部门" name="supervisingDepartment" rules={[{ required: true, whitespace: true, message: '请填写行政监督部门' }, { min: 2, message: '至少 2 个字' }, { max: 100, message: '最多 100 个字' }]}>
            <Input maxLength={100} placeholder="如 太原市住房和城乡建设局" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="资金来源" name="fundingSource" rules={[{ required: true, whitespace: true, message: '请填写资金来源' }, { min: 2, message: '至少 2 个字' }, { max: 100, message: '最多 100 个字' }]}>
            <Input maxLength={100} placeholder="如 财政资金" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item label="项目概况" name="description" rules={[{ max: 5000, message: '最多 5000 字' }]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Title level={5}>标段</Typography.Title>
      <Form.List name="lots" rules={[{ validator: async (_, lots: unknown[] | undefined) => { if (!lots || lots.length === 0) throw new Error('至少需要一个标段'); } }]}>
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, index) => (
              <Row gutter={12} key={field.key} align="top">
                <Col xs={24} md={11}>
                  <Form.Item label={`标段 ${index + 1} 名称`} name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: '请填写标段名称' }, { min: 2, message: '至少 2 个字' }]}>
                    <Input maxLength={200} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={5}>
                  <Form.Item label={`标段 ${index + 1} 类型`} name={[field.name, 'kind']} rules={[{ required: true, message: '请选择类型' }]}>
                    <Select options={optionsOf(LOT_KIND_LABELS)} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item label={`标段 ${index + 1} 估算价（元）`} name={[field.name, 'estimatedPrice']} rules={[{ required: true, message: '请填写估算价' }, { pattern: YUAN_PATTERN, message: '金额单位为元，最多两位小数，不含逗号' }]}>
                    <Input inputMode="decimal" suffix="元" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={2}>
                  <Form.Item label=" " colon={false}>
                    <Button icon={<DeleteOutlined />} aria-label={`删除标段 ${index + 1}`} disabled={fields.length <= 1} onClick={() => remove(field.name)} />
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <Space orientation="vertical">
              <Button icon={<PlusOutlined />} onClick={() => add({ name: '', kind: 'construction', estimatedPrice: '' })} disabled={fields.length >= 50}>
                添加标段
              </Button>
              <Form.ErrorList errors={errors} />
            </Space>
          </>
        )}
      </Form.List>
    </FormModal>
  );
}
