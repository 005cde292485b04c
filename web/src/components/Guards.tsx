import type { ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';

/** Screens behind the login: anything but a fully signed-in session goes to the login page. */
export function RequireActive({ children }: { children: ReactNode }) {
  const { me, loading, signedOut } = useAuth();
  const location = useLocation();
  if (loading) {
    return (
      <div className="full-page-center">
        <Spin size="large" />
      </div>
    );
  }
  if (!me || me.stage !== 'active') {
    const from = location.pathname + location.search;
    // After an explicit logout the next user starts from the home page, not the last screen.
    return <Navigate to="/login" replace state={signedOut ? undefined : { from }} />;
  }
  return <>{children}</>;
}

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  const navigate = useNavigate();
  if (!can(permission)) {
    return (
      <Result
        status="403"
        title="无权访问"
        subTitle="您的账号没有访问此页面的权限，如需开通请联系安全管理员。"
        extra={
          <Button type="primary" onClick={() => void navigate('/')}>
            返回首页
          </Button>
        }
      />
    );
  }
  return <>{children}</>;
}

export function NotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          返回首页
        </Button>
      }
    />
  );
}
