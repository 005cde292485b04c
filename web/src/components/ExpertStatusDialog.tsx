// 暂停 / 恢复 / 除名: a confirmation dialog; pausing and removing need a reason.
import { Alert, Form, Input } from 'antd';
import { api } from '../api';
import type { Expert, ExpertStatus } from '../types';
import { FormModal } from './FormModal';

export type StatusAction = 'suspend' | 'resume' | 'remove';

const TARGET: Record<StatusAction, ExpertStatus> = { suspend: 'suspended', resume: 'active', remove: 'removed' };
const TITLES: Record<StatusAction, string> = { suspend: '暂停专家', resume: '恢复专家', remove: '除名专家' };
const OK_TEXT: Record<StatusAction, string> = { suspend: '确认暂停', resume: '确认恢复', remove: '确认除名' };

interface Values {
  statusReason?: string;
}

export interface ExpertStatusDialogProps {
  expert: Expert;
  action: StatusAction | null;
  onClose: () => void;
  onDone: (expert: Expert, action: StatusAction) => void;
}

export function ExpertStatusDialog({ expert, action, onClose, onDone }: ExpertStatusDialogProps) {
  const needsReason = action === 'suspend' || action === 'remove';

  const submit = async (values: Values) => {
    if (!action) return;
    const body: Record<string, unknown> = { version: expert.version, status: TARGET[action] };
    if (needsReason) body.statusReason = (values.statusReason ?? '').trim();
    const saved = await api.patch<Expert>(`/api/v1/experts/${expert.id}`, body);
    onDone(saved, action);
  };

  return (
    <FormModal<Values>
      open={action !== null}
      name="expertStatus"
      title={action ? `${TITLES[action]}：${expert.name}` : ''}
      okText={action ? OK_TEXT[action] : '确定'}
      fields={['statusReason']}
      onSubmit={submit}
      onClose={onClose}
      width={520}
    >
      {action === 'remove' ? (
        <Alert type="warning" showIcon className="form-banner" title="除名后该专家不能恢复入库，也不会再被抽取。" />
      ) : null}
      {action === 'suspend' ? (
        <Alert type="info" showIcon className="form-banner" title="暂停期间该专家不会被抽取，可随时恢复。" />
      ) : null}
      {action === 'resume' ? (
        <Alert type="info" showIcon className="form-banner" title={`确认恢复后，该专家重新在库，可参加抽取。${expert.statusReason ? `暂停原因：${expert.statusReason}` : ''}`} />
      ) : null}
      {needsReason ? (
        <Form.Item
          label={action === 'remove' ? '除名原因' : '暂停原因'}
          name="statusReason"
          rules={[
            { required: true, whitespace: true, message: '请填写原因' },
            { max: 200, message: '原因最多 200 字' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
