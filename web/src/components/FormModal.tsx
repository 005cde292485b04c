// A Modal holding one Form: validates, submits, and shows the server's field errors on the fields.
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Form, Modal, type FormInstance } from 'antd';
import { errorText } from '../api';
import { applyFieldErrors } from '../formErrors';

export interface FormModalProps<V> {
  open: boolean;
  title: string;
  /** Form name: prefixes the input ids, so keep it unique per screen. */
  name: string;
  /** Top-level field names the server may report errors on. */
  fields: readonly string[];
  initialValues?: Partial<V>;
  /** Throws on failure (ApiError); resolves when saved. */
  onSubmit: (values: V) => Promise<void>;
  onClose: () => void;
  okText?: string;
  width?: number;
  /** Show the values only: no save button. */
  readOnly?: boolean;
  /** For forms that need to watch their own values. */
  form?: FormInstance<V>;
  children: ReactNode;
}

export function FormModal<V extends object>(props: FormModalProps<V>) {
  const [ownForm] = Form.useForm<V>();
  const form = props.form ?? ownForm;
  const [saving, setSaving] = useState(false);
  const [banner, setBanner] = useState<{ text: string; more: string[] } | null>(null);

  // Each opening starts from the values it was opened with (not from the last record's), but
  // re-renders while open never reset what the user typed.
  useEffect(() => {
    if (!props.open) return;
    setBanner(null);
    form.resetFields();
  }, [props.open, form]);

  const submit = async (values: V) => {
    setSaving(true);
    setBanner(null);
    try {
      await props.onSubmit(values);
    } catch (error) {
      const outcome = applyFieldErrors(form, error, props.fields);
      if (!outcome.handled) setBanner({ text: errorText(error), more: outcome.leftover });
      else if (outcome.first) form.scrollToField(outcome.first, { block: 'center' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      width={props.width ?? 640}
      okText={props.okText ?? '保存'}
      cancelText={props.readOnly ? '关闭' : '取消'}
      footer={props.readOnly ? (_, { CancelBtn }) => <CancelBtn /> : undefined}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {banner ? (
        <Alert
          type="error"
          showIcon
          className="form-banner"
          title={banner.text}
          description={
            banner.more.length > 0 ? (
              <ul className="form-banner-list">
                {banner.more.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
      <Form<V>
        form={form}
        name={props.name}
        layout="vertical"
        preserve={false}
        initialValues={props.initialValues}
        onFinish={(values) => void submit(values)}
        requiredMark
        scrollToFirstError
      >
        {props.children}
        {/* Lets Enter in a text field submit the form. */}
        <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true" />
      </Form>
    </Modal>
  );
}
