import { Alert } from 'antd';
import { ApiError, errorText } from '../api';
import { formatDateTime } from '../format';

/** The server's Chinese message; for a locked account also when the lock ends. */
export function LoginError({ error }: { error: unknown }) {
  if (!error) return null;
  const lockedUntil = error instanceof ApiError && error.code === 'account_locked' ? error.lockedUntil : undefined;
  return (
    <Alert
      type="error"
      showIcon
      className="login-alert"
      role="alert"
      title={errorText(error)}
      description={lockedUntil ? `账号锁定至 ${formatDateTime(lockedUntil)}（北京时间），届时可再次登录。` : undefined}
    />
  );
}
