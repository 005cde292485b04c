// 批量导入: CSV or JSON pasted or read from a local file, sent as one import. The server checks
// every line and writes nothing when any is bad; its line-by-line report is shown here.
import { useRef, useState } from 'react';
import { Alert, Button, Form, Input, Space, Table, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, FileTextOutlined, UploadOutlined } from '@ant-design/icons';
import { ApiError, api, errorText } from '../api';
import type { ImportAnswer, ImportLineProblem } from '../types';
import { todayCst } from './CreditShared';
// The server's own column list (a module without dependencies), so the template cannot drift from what the import reads.
import { CSV_COLUMNS } from '../../../src/modules/credit/credit.csv';


function templateCsv(): string {
  const day = todayCst();
  const example: Record<(typeof CSV_COLUMNS)[number], string> = {
    subjectKind: 'organisation',
    uscc: '91140100MA0K123488',
    idNumber: '',
    subjectName: '示例建设工程有限公司',
    role: 'bidder',
    type: 'violation',
    severity: 'ordinary',
    title: '提供虚假材料谋取中标',
    facts: '在某项目投标中提供虚假业绩证明',
    legalBasis: '《中华人民共和国招标投标法》第五十四条',
    sourceDepartment: '太原市住房和城乡建设局',
    regionCode: '140100',
    decisionNumber: '并建罚〔2026〕1号',
    decisionDate: day,
    effectiveFrom: day,
    effectiveTo: '',
    publishable: 'true',
    disclosureMonths: '12',
    banCategories: 'construction;government_procurement',
    banRegionCode: '140100',
    banFrom: day,
    banTo: '',
    notRepairableReason: '',
  };
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${CSV_COLUMNS.join(',')}\r\n${CSV_COLUMNS.map((c) => quote(example[c])).join(',')}\r\n`;
}

function downloadTemplate(): void {
  // The BOM lets spreadsheet programs open the file as UTF-8.
  const blob = new Blob(['\uFEFF', templateCsv()], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = '信用记录导入模板.csv';
  a.click();
  URL.revokeObjectURL(url);
}

type ReportRow = ImportLineProblem & { key: number };

type Body = { records: Record<string, unknown>[] } | { csv: string };

/** JSON (an array of records, or `{records: [...]}`) when the text starts like JSON; CSV otherwise. */
function bodyOf(text: string): { body: Body } | { problem: string } {
  const trimmed = text.trim();
  if (!trimmed) return { problem: '请粘贴或选择要导入的 CSV 或 JSON 内容' };
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return { body: { csv: text } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (e) {
    return { problem: `JSON 格式错误：${e instanceof Error ? e.message : String(e)}` };
  }
  const list = Array.isArray(parsed) ? parsed : typeof parsed === 'object' && parsed !== null ? (parsed as { records?: unknown }).records : undefined;
  if (!Array.isArray(list) || list.length === 0) return { problem: 'JSON 内容应为信用记录数组，或形如 {"records": [...]} 的对象' };
  if (!list.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) return { problem: 'JSON 数组的每一项都应为一条信用记录（对象）' };
  return { body: { records: list as Record<string, unknown>[] } };
}

function reportOf(error: unknown): ImportLineProblem[] | null {
  if (!(error instanceof ApiError)) return null;
  const report = error.problem.report;
  return Array.isArray(report) ? (report as ImportLineProblem[]) : null;
}

export function CreditImport({ onImported }: { onImported: () => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [created, setCreated] = useState<number | null>(null);
  const [failure, setFailure] = useState<{ detail: string; report: ImportLineProblem[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const reset = () => {
    setCreated(null);
    setFailure(null);
    setProblem(null);
  };

  const readFile = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    reset();
    const content = await file.text();
    if (input.current) input.current.value = '';
    if (content.includes('\uFFFD')) {
      setProblem(`文件 ${file.name} 不是 UTF-8 编码，请在表格软件中另存为“CSV UTF-8”后重新选择`);
      return;
    }
    setText(content);
    setFileName(file.name);
  };

  const send = async () => {
    reset();
    const parsed = bodyOf(text);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      return;
    }
    setSending(true);
    try {
      const answer = await api.post<ImportAnswer>('/api/v1/credit/imports', parsed.body);
      setCreated(answer.created);
      setText('');
      setFileName(null);
      onImported();
    } catch (error) {
      const report = reportOf(error);
      if (report) setFailure({ detail: errorText(error), report });
      else setProblem(errorText(error));
    } finally {
      setSending(false);
    }
  };

  const columns: TableColumnsType<ReportRow> = [
    { title: '行号', dataIndex: 'line', width: 80 },
    { title: '字段', dataIndex: 'field', width: 180, render: (v: string) => <span className="mono">{v}</span> },
    { title: '问题', dataIndex: 'message' },
  ];

  return (
    <div className="credit-import">
      <Typography.Paragraph type="secondary">
        支持 CSV（UTF-8，首行为列名）或 JSON（信用记录数组）。全部记录校验通过才会写入；任一行不合格则不写入任何记录，并逐行列出问题。
        CSV 列名：<span className="mono">{CSV_COLUMNS.join(', ')}</span>；banCategories 用分号分隔，证据材料仅能通过 JSON 导入。
      </Typography.Paragraph>
      <Space wrap className="form-banner">
        <input ref={input} type="file" accept=".csv,.json,.txt,text/csv,application/json" className="visually-hidden" aria-label="选择导入文件" tabIndex={-1} onChange={(e) => void readFile(e.target.files)} />
        <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
          选择文件
        </Button>
        <Button icon={<DownloadOutlined />} onClick={downloadTemplate}>
          下载 CSV 模板
        </Button>
        {fileName ? (
          <Typography.Text>
            <FileTextOutlined /> 已读取：{fileName}
          </Typography.Text>
        ) : null}
      </Space>
      <Form layout="vertical">
        <Form.Item label="导入内容" htmlFor="credit-import-text">
          <Input.TextArea
            id="credit-import-text"
            rows={10}
            className="mono"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFileName(null);
            }}
            placeholder={'subjectKind,uscc,subjectName,role,type,severity,title,…\norganisation,91140100MA0K123488,…'}
          />
        </Form.Item>
      </Form>
      <Button type="primary" loading={sending} onClick={() => void send()}>
        校验并导入
      </Button>
      {created !== null ? <Alert className="import-result" type="success" showIcon title={`导入成功：已写入 ${created} 条信用记录`} /> : null}
      {problem ? <Alert className="import-result" type="error" showIcon title={problem} /> : null}
      {failure ? (
        <div className="import-result">
          <Alert type="error" showIcon title={failure.detail} description={`共 ${failure.report.length} 处问题，请修改后重新导入。`} className="form-banner" />
          <Table<ReportRow>
            rowKey="key"
            size="small"
            columns={columns}
            dataSource={failure.report.map((r, key) => ({ ...r, key }))}
            pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 处`, hideOnSinglePage: true }}
            aria-label="导入校验结果"
          />
        </div>
      ) : null}
    </div>
  );
}
