// 抽取条件试算: who would be eligible for a draw on a given day (POST /api/v1/experts/eligible).
import { useState } from 'react';
import { Alert, Button, DatePicker, Form, Input, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../api';
import { useMe } from '../auth';
import { labelOf } from '../format';
import type { SelectTreeNode } from '../hooks';
import type { EligibleAnswer, EligibleExpert } from '../types';
import { DATE_FORMAT, GENDER_LABELS, USCC_PATTERN, showInlineErrors } from './ExpertShared';

interface Values {
  specialty: string;
  regionCode: string;
  on: Dayjs;
  avoid?: string;
}

const LIMIT = 200;

/** One USCC a line (commas and blanks also split); upper-cased, duplicates dropped. */
function usccList(text: string | undefined): string[] {
  const all = (text ?? '')
    .split(/[\s,，;；]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return [...new Set(all)];
}

export interface ExpertEligibilityProps {
  regionTree: SelectTreeNode[];
  specialtyTree: SelectTreeNode[];
  nameOf: (code: string) => string;
}

export function ExpertEligibility({ regionTree, specialtyTree, nameOf }: ExpertEligibilityProps) {
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const [answer, setAnswer] = useState<EligibleAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const submit = async (values: Values) => {
    setLoading(true);
    setError(null);
    try {
      const result = await api.post<EligibleAnswer>('/api/v1/experts/eligible', {
        specialty: values.specialty,
        regionCode: values.regionCode,
        on: values.on.format(DATE_FORMAT),
        avoidUscc: usccList(values.avoid),
        limit: LIMIT,
      });
      setAnswer(result);
    } catch (cause) {
      setAnswer(null);
      if (!showInlineErrors(form, cause, ['specialty', 'regionCode', 'on', 'avoid'], { avoidUscc: 'avoid' })) setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  };

  const columns: TableColumnsType<EligibleExpert> = [
    { title: '姓名', dataIndex: 'name', width: 100 },
    { title: '身份证号', dataIndex: 'idNumberMasked', width: 190, render: (v: string) => <span className="mono">{v}</span> },
    { title: '性别', dataIndex: 'gender', width: 60, render: (g: string) => labelOf(GENDER_LABELS, g) },
    { title: '所在地区', dataIndex: 'regionName', width: 180 },
    { title: '工作单位', dataIndex: 'employerName' },
    {
      title: '专业',
      dataIndex: 'specialties',
      render: (codes: string[], e) =>
        codes.map((code) =>
          code === e.primarySpecialty ? (
            <Tag key={code} color="blue">
              {nameOf(code)}（主）
            </Tag>
          ) : (
            <Tag key={code}>{nameOf(code)}</Tag>
          ),
        ),
    },
    { title: '职称', dataIndex: 'titles', width: 140, render: (t: string[]) => (t.length > 0 ? t.join('、') : '—') },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">
        按抽取条件试算符合条件的专家：在库、所在地区属于所选区划、具有所选专业（选类别即含其下各专业）、工作单位及申报的回避单位不在回避名单中、评标当日不在不可参评时段内。试算不会产生抽取记录。
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        name="expertEligible"
        layout="vertical"
        initialValues={{ on: dayjs(), regionCode: me.organisation?.regionCode }}
        onFinish={(v) => void submit(v)}
      >
        <div className="form-grid">
          <Form.Item label="抽取专业" name="specialty" rules={[{ required: true, message: '请选择抽取专业' }]}>
            <TreeSelect treeData={specialtyTree} showSearch treeNodeFilterProp="title" treeDefaultExpandAll placeholder="专业类别或具体专业" />
          </Form.Item>
          <Form.Item label="抽取区域" name="regionCode" rules={[{ required: true, message: '请选择抽取区域' }]}>
            <TreeSelect treeData={regionTree} showSearch treeNodeFilterProp="title" placeholder="请选择行政区划" />
          </Form.Item>
          <Form.Item label="评标日期" name="on" rules={[{ required: true, message: '请选择评标日期' }]}>
            <DatePicker format={DATE_FORMAT} className="full-width" />
          </Form.Item>
          <Form.Item
            label="需回避单位"
            name="avoid"
            extra="填写招标人、投标人等单位的统一社会信用代码，每行一个"
            rules={[
              {
                validator: (_, value: string | undefined) => {
                  const bad = usccList(value).filter((u) => !USCC_PATTERN.test(u));
                  if (bad.length === 0) return Promise.resolve();
                  return Promise.reject(new Error(`以下代码格式不正确：${bad.slice(0, 3).join('、')}${bad.length > 3 ? ' 等' : ''}`));
                },
              },
            ]}
          >
            <Input.TextArea rows={3} className="mono" placeholder={'91140100MA0K123488\n…'} />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" loading={loading}>
          试算
        </Button>
      </Form>
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} /> : null}
      {answer ? (
        <div style={{ marginTop: 16 }}>
          <Alert
            type={answer.total > 0 ? 'success' : 'warning'}
            showIcon
            role="status"
            title={
              answer.total > 0
                ? `符合条件的专家共 ${answer.total} 名${answer.total > answer.items.length ? `，以下按姓名列出前 ${answer.items.length} 名` : ''}`
                : '没有符合条件的专家，请调整抽取专业、区域或日期'
            }
            style={{ marginBottom: 12 }}
          />
          {answer.items.length > 0 ? (
            <Table<EligibleExpert>
              rowKey="id"
              size="small"
              columns={columns}
              dataSource={answer.items}
              pagination={{ pageSize: 20, showTotal: (total) => `列出 ${total} 名`, hideOnSinglePage: true }}
              scroll={{ x: 1000 }}
            />
          ) : null}
        </div>
      ) : null}
    </>
  );
}
