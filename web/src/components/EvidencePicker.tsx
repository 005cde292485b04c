// A form control for evidence references: the user picks local files and the browser computes
// each one's SM3 digest (there is no file store yet; only {name, sm3Digest, size} is sent).
import { useRef, useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { DeleteOutlined, PaperClipOutlined } from '@ant-design/icons';
import { MAX_EVIDENCE_BYTES, evidenceOf } from '../sm3';
import type { EvidenceRef } from '../types';
import { formatBytes } from './CreditShared';

export interface EvidencePickerProps {
  value?: EvidenceRef[];
  onChange?: (value: EvidenceRef[]) => void;
  /** Accessible name of the hidden file input (end-to-end tests attach files through it). */
  inputLabel: string;
  max?: number;
  id?: string;
}

export function EvidencePicker({ value, onChange, inputLabel, max = 20, id }: EvidencePickerProps) {
  const items = value ?? [];
  const input = useRef<HTMLInputElement>(null);
  const [hashing, setHashing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const pick = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setProblem(null);
    const chosen = [...files];
    if (items.length + chosen.length > max) {
      setProblem(`最多 ${max} 个文件`);
      return;
    }
    const tooBig = chosen.find((f) => f.size > MAX_EVIDENCE_BYTES);
    if (tooBig) {
      setProblem(`文件 ${tooBig.name} 超过 ${formatBytes(MAX_EVIDENCE_BYTES)}，请压缩或拆分后再选择`);
      return;
    }
    setHashing(true);
    try {
      const refs: EvidenceRef[] = [];
      for (const file of chosen) refs.push(await evidenceOf(file));
      onChange?.([...items, ...refs]);
    } catch {
      setProblem('读取文件失败，请重新选择');
    } finally {
      setHashing(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div id={id}>
      <input ref={input} type="file" multiple className="visually-hidden" aria-label={inputLabel} onChange={(e) => void pick(e.target.files)} tabIndex={-1} />
      <Space orientation="vertical" className="full-width" size={6}>
        <Button icon={<PaperClipOutlined />} loading={hashing} disabled={items.length >= max} onClick={() => input.current?.click()}>
          {hashing ? '正在计算 SM3 摘要…' : '选择文件'}
        </Button>
        <Typography.Text type="secondary" className="evidence-hint">
          文件不上传，仅在本机计算 SM3 摘要并登记文件名、大小和摘要，原件请妥善留存备查。
        </Typography.Text>
        {problem ? <Typography.Text type="danger">{problem}</Typography.Text> : null}
        {items.length > 0 ? (
          <ul className="evidence-list">
            {items.map((e, i) => (
              <li key={`${e.sm3Digest}-${i}`}>
                <span>{e.name}</span> <Typography.Text type="secondary">（{formatBytes(e.size)}）</Typography.Text>
                <Button
                  type="link"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`移除 ${e.name}`}
                  onClick={() => onChange?.(items.filter((_, j) => j !== i))}
                />
                <div className="mono evidence-digest">SM3：{e.sm3Digest}</div>
              </li>
            ))}
          </ul>
        ) : null}
      </Space>
    </div>
  );
}
