// The signed receipt of a bid: what the platform received (deal code, lot code, SM3 of the
// envelope, size, server time), with its SM2 signature checked here against the platform key —
// and, right after an upload, against the digest computed while sealing.
import { useEffect, useState } from 'react';
import { Descriptions, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { verifyReceipt } from '../crypto/bid-envelope';
import { formatDateTime } from '../format';
import { getPlatformKey } from './bidApi';
import { sizeText } from './money';
import { problemText } from './shared';
import type { BidReceipt } from './types';

type Check = { state: 'checking' } | { state: 'ok' } | { state: 'bad'; text: string };

function formatSeconds(iso: string): string {
  // The receipt's time to the second (the minute alone does not tell two uploads apart).
  const d = new Date(iso);
  const s = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(d);
  return `${formatDateTime(iso).slice(0, 10)} ${s}`;
}

export function ReceiptCard({ receipt, signature, sealedDigest, sealedSize }: { receipt: BidReceipt; signature: string; sealedDigest?: string; sealedSize?: number }) {
  const [check, setCheck] = useState<Check>({ state: 'checking' });

  useEffect(() => {
    let live = true;
    setCheck({ state: 'checking' });
    getPlatformKey()
      .then((key) => {
        if (!live) return;
        if (!verifyReceipt(receipt as unknown as Record<string, unknown>, signature, key.publicKey)) setCheck({ state: 'bad', text: '回执签名校验失败：回执可能被篡改，请联系交易中心' });
        else if (sealedDigest !== undefined && sealedDigest !== receipt.sm3) setCheck({ state: 'bad', text: '回执中的 SM3 摘要与本机加密的文件不一致，请重新递交' });
        else if (sealedSize !== undefined && sealedSize !== receipt.size) setCheck({ state: 'bad', text: '回执中的文件大小与本机加密的文件不一致，请重新递交' });
        else setCheck({ state: 'ok' });
      })
      .catch((e: unknown) => live && setCheck({ state: 'bad', text: `无法读取平台公钥：${problemText(e)}` }));
    return () => {
      live = false;
    };
  }, [receipt, signature, sealedDigest, sealedSize]);

  return (
    <div aria-label="投标回执">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, lg: 2 }}
        title="投标回执"
        extra={
          check.state === 'ok' ? (
            <Tag icon={<CheckCircleFilled />} color="success">
              回执验签通过
            </Tag>
          ) : check.state === 'bad' ? (
            <Tag icon={<CloseCircleFilled />} color="error">
              {check.text}
            </Tag>
          ) : (
            <Tag color="processing">正在验签…</Tag>
          )
        }
        items={[
          { key: 'deal', label: '统一交易标识码', children: <span className="mono">{receipt.dealCode}</span> },
          { key: 'lot', label: '标段编号', children: <span className="mono">{receipt.lotCode}</span> },
          { key: 'bidder', label: '投标人', children: receipt.bidder.name },
          { key: 'attempt', label: '递交次数', children: `第 ${receipt.attempt} 次` },
          { key: 'sm3', label: '加密文件 SM3', span: 2, children: <Typography.Text className="mono" copyable>{receipt.sm3}</Typography.Text> },
          { key: 'size', label: '文件大小', children: `${sizeText(receipt.size)}（${receipt.size} 字节）` },
          { key: 'at', label: '平台接收时间', children: formatSeconds(receipt.receivedAt) },
          {
            key: 'sig',
            label: '平台签名（SM2）',
            span: 2,
            children: (
              <Space>
                <Typography.Text className="mono" copyable={{ text: signature }} ellipsis style={{ maxWidth: 420 }}>
                  {signature}
                </Typography.Text>
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
