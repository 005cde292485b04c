// What a bidder does with its key file on a sealed bid: the rehearsal before the deadline (proves
// the key opens this bid, reveals nothing: a signature by the commitment key derived from K over
// a platform challenge) and the decryption at the opening (K itself is handed over). K is
// unwrapped here from the seal for the loaded key and checked against the bid's commitment
// before anything is sent, so a wrong key file costs none of the server's limited tries.
import { useState } from 'react';
import { Alert, App, Result, Space, Table, Tag, Typography } from 'antd';
import { api } from '../api';
import { commitKeyOf, decryptRequest, rehearsalSignature, unwrapKey, type SealingKey } from '../crypto/bid-envelope';
import { formatDateTime } from '../format';
import { myBidPath } from './bidApi';
import { Countdown, useReached } from './dealClock';
import { KeyFileForm } from './shared';
import type { Bid, MyBid } from './types';

/** K from the seal made for `key`; throws a Chinese message when this key has no seal or does not open it. */
function fileKeyFor(mine: MyBid, key: SealingKey): Uint8Array {
  const bid = mine.bid!;
  const seal = mine.seals.find((s) => s.fingerprint === key.fingerprint);
  if (!seal) throw new Error('此密钥文件没有本投标文件的密钥封装：请使用递交时有效的密封密钥（如工作密钥或离线备用密钥）');
  const k = unwrapKey(seal.sealedKey, key.privateKey);
  if (commitKeyOf(k) !== bid.commitKey) {
    k.fill(0);
    throw new Error('解开的文件密钥与投标文件的承诺不符，请换用另一把密封密钥');
  }
  return k;
}

export function RehearsalPanel({ lotId, mine, onDone }: { lotId: string; mine: MyBid; onDone: () => void }) {
  const { message } = App.useApp();
  const [last, setLast] = useState<{ ok: boolean; label: string } | null>(null);
  const bid = mine.bid;
  const labels = new Map(mine.seals.map((s) => [s.sealingKeyId, s.label]));

  if (!bid || bid.status !== 'received') return <Alert type="info" showIcon title="递交投标文件后，可在投标截止前用密钥文件做一次解密演练。" />;

  return (
    <Space orientation="vertical" size="middle" className="full-width">
      <Typography.Paragraph>
        解密演练在本机用密钥文件解开文件密钥，并对平台的挑战值签名，以证明开标时这把密钥能解开本投标文件；文件密钥和投标内容都不会发送给平台。建议对工作密钥和离线备用密钥各演练一次。
      </Typography.Paragraph>
      <KeyFileForm
        name="rehearsal"
        okText="开始演练"
        onKey={async (key) => {
          const k = fileKeyFor(mine, key);
          try {
            const seal = mine.seals.find((s) => s.fingerprint === key.fingerprint)!;
            const c = await api.post<{ bidId: string; challenge: string; expiresAt: string }>(`${myBidPath(lotId)}/rehearsal/challenge`);
            const r = await api.post<{ ok: boolean }>(`${myBidPath(lotId)}/rehearsal`, { sealingKeyId: seal.sealingKeyId, challenge: c.challenge, signature: rehearsalSignature(k, c.bidId, c.challenge) });
            setLast({ ok: r.ok, label: seal.label });
            if (r.ok) void message.success('解密演练成功');
            onDone();
          } finally {
            k.fill(0);
          }
        }}
      />
      {last ? (
        last.ok ? (
          <Result status="success" title="密钥可以解开本投标文件" subTitle={`演练使用的密钥：${last.label}。请在开标时使用同一密钥文件和口令。`} />
        ) : (
          <Result status="error" title="演练未通过" subTitle="平台未能用本投标文件的承诺公钥验证签名，请重新递交投标文件。" />
        )
      ) : null}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={mine.rehearsals}
        locale={{ emptyText: '尚无演练记录' }}
        columns={[
          { title: '演练时间', dataIndex: 'at', render: (v: string) => formatDateTime(v) },
          { title: '密钥', dataIndex: 'sealingKeyId', render: (v: string | null) => (v ? (labels.get(v) ?? v) : '—') },
          { title: '结果', dataIndex: 'ok', render: (ok: boolean) => (ok ? <Tag color="green">通过</Tag> : <Tag color="red">未通过</Tag>) },
        ]}
      />
    </Space>
  );
}

const FAILURE_TEXT: Record<string, string> = {
  wrong_key: '文件密钥错误次数已达上限',
  envelope_invalid: '投标文件完整性校验失败（投标人原因）',
  not_decrypted: '解密时间结束前未解密',
  blob_missing: '平台存储的投标文件缺失（平台原因）',
  blob_damaged: '平台存储的投标文件与回执不符（平台原因）',
};

export function DecryptPanel({ lotId, mine, closesAt, offset, onDone }: { lotId: string; mine: MyBid; closesAt: number | null; offset: number; onDone: (bid: Bid) => void }) {
  const { message } = App.useApp();
  const bid = mine.bid;
  const closed = useReached(closesAt, offset);

  if (!bid) return <Alert type="info" showIcon title="本主体未在本标段递交投标文件。" />;
  if (bid.status === 'decrypted') return <Result status="success" title="投标文件已解密" subTitle={`解密时间 ${formatDateTime(bid.decryptedAt)}；开标记录在解密结束后公布。`} />;
  if (bid.status === 'decrypt_failed_bidder' || bid.status === 'decrypt_failed_platform') {
    return <Result status="error" title="投标文件解密失败" subTitle={FAILURE_TEXT[bid.decryptFailure ?? ''] ?? bid.decryptFailure ?? ''} />;
  }
  if (bid.status !== 'received') return <Alert type="info" showIcon title="本主体在本标段没有待解密的投标文件。" />;
  if (mine.lot.lotStatus !== 'decrypting' || closed) return <Alert type="info" showIcon title="当前不在本标段的解密时间内。投标截止后平台开标，投标人在解密时间内在线解密。" />;

  return (
    <Space orientation="vertical" size="middle" className="full-width">
      <Alert
        type="warning"
        showIcon
        title={closesAt === null ? '开标解密进行中' : (<span>开标解密进行中，剩余 <Countdown to={closesAt} offset={offset} /></span>)}
        description={`请载入密封密钥文件（工作密钥或离线备用密钥均可）并输入口令。解密时间结束仍未解密的投标文件视为撤销。${bid.decryptAttempts > 0 ? `已提交错误的文件密钥 ${bid.decryptAttempts} 次。` : ''}`}
      />
      <KeyFileForm
        name="decrypt"
        okText="解密投标文件"
        onKey={async (key) => {
          const k = fileKeyFor(mine, key);
          try {
            const r = await api.post<{ outcome: string; bid: Bid }>(`${myBidPath(lotId)}/decrypt`, decryptRequest(k));
            if (r.outcome === 'decrypted') void message.success('投标文件解密成功');
            else void message.error('投标文件解密失败');
            onDone(r.bid);
          } finally {
            k.fill(0);
          }
        }}
      />
    </Space>
  );
}
