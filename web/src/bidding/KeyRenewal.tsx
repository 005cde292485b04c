// Key renewal without stranding a bid: a bid's file key K is sealed to the keys that were active
// when it was sealed. When a key is added later, the pending bids get a seal for it too — K is
// unwrapped here with an old key file, sealed to the new public key, and the platform takes the
// new seal only with a signature by the commitment key derived from K (proof of holding K).
import { useState } from 'react';
import { Alert, List, Space, Tag, Typography } from 'antd';
import { api } from '../api';
import { commitKeyOf, resealFor, unwrapKey, type SealingKey } from '../crypto/bid-envelope';
import { myBidPath, type PendingBid } from './bidApi';
import { KeyFileForm, problemText } from './shared';
import type { SealingKeyInfo } from './types';

/** The active keys a pending bid has no seal for. */
export function missingSeals(p: PendingBid, active: SealingKeyInfo[]): SealingKeyInfo[] {
  const sealed = new Set(p.mine.seals.map((s) => s.sealingKeyId));
  return active.filter((k) => !sealed.has(k.id));
}

interface Outcome {
  lotCode: string;
  ok: boolean;
  text: string;
}

/** Re-seals every pending bid in `pending` to the active keys it lacks, with the key file given. */
async function resealAll(key: SealingKey, pending: PendingBid[], active: SealingKeyInfo[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const p of pending) {
    const bid = p.mine.bid!;
    const missing = missingSeals(p, active);
    if (missing.length === 0) continue;
    const seal = p.mine.seals.find((s) => s.fingerprint === key.fingerprint);
    if (!seal) {
      out.push({ lotCode: bid.lotCode, ok: false, text: '此密钥文件不是该投标文件递交时封装的密钥，请换用原有的密钥文件' });
      continue;
    }
    let fileKey: Uint8Array | null = null;
    try {
      fileKey = unwrapKey(seal.sealedKey, key.privateKey);
      if (commitKeyOf(fileKey) !== bid.commitKey) throw new Error('解开的文件密钥与投标文件的承诺不符');
      for (const k of missing) {
        const r = resealFor(fileKey, bid.id, { id: k.id, publicKey: k.publicKey });
        await api.put(`${myBidPath(p.lot.id)}/seals/${k.id}`, r);
      }
      out.push({ lotCode: bid.lotCode, ok: true, text: `已为「${missing.map((k) => k.label).join('」「')}」补充密钥封装` });
    } catch (e) {
      out.push({ lotCode: bid.lotCode, ok: false, text: problemText(e) });
    } finally {
      fileKey?.fill(0);
    }
  }
  return out;
}

export function KeyRenewal({ pending, active, onDone }: { pending: PendingBid[]; active: SealingKeyInfo[]; onDone: () => void }) {
  const [results, setResults] = useState<Outcome[] | null>(null);
  const todo = pending.filter((p) => missingSeals(p, active).length > 0);
  if (todo.length === 0 && !results) return null;
  return (
    <Alert
      type="warning"
      showIcon
      title={`有 ${todo.length} 份待开标的投标文件尚未封装给新登记的密钥`}
      description={
        <Space orientation="vertical" className="full-width">
          <Typography.Text>
            这些投标文件只能用递交时有效的密钥解开。请载入其中一把原有密钥的文件，在浏览器中解开文件密钥并封装给新密钥（平台只收到新的封装和证明签名），之后新密钥同样可以解密，原密钥也才可以撤销。
          </Typography.Text>
          <List
            size="small"
            dataSource={todo}
            renderItem={(p) => (
              <List.Item>
                <Space wrap>
                  <span>{p.project.name}</span>
                  <span>{p.lot.name}</span>
                  <Typography.Text className="mono">{p.lot.lotCode}</Typography.Text>
                  <span>缺少：</span>
                  {missingSeals(p, active).map((k) => (
                    <Tag key={k.id}>{k.label}</Tag>
                  ))}
                </Space>
              </List.Item>
            )}
          />
          <KeyFileForm
            name="reseal"
            okText="补充密钥封装"
            hint="载入递交投标文件时已有的密钥（如工作密钥或离线备用密钥）的文件"
            onKey={async (key) => {
              const r = await resealAll(key, todo, active);
              setResults(r);
              onDone();
              const failed = r.filter((x) => !x.ok);
              if (failed.length > 0 && failed.length === r.length) throw new Error(failed[0]!.text);
            }}
          />
          {results ? (
            <List
              size="small"
              dataSource={results}
              renderItem={(r) => (
                <List.Item>
                  <Typography.Text type={r.ok ? 'success' : 'danger'}>
                    {r.lotCode}：{r.text}
                  </Typography.Text>
                </List.Item>
              )}
            />
          ) : null}
        </Space>
      }
    />
  );
}
