import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter } from 'react-router-dom';
import { AuthProvider } from './auth';
import { AppRoutes } from './routes';
import './styles.css';

dayjs.locale('zh-cn');

// BASE_URL is '/workbench/' (vite `base`); the router wants it without the trailing slash.
const basename = import.meta.env.BASE_URL.replace(/\/$/, '');

const theme = {
  token: {
    colorPrimary: '#1d4f91',
    colorLink: '#1d4f91',
    borderRadius: 4,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: { headerBg: '#173f77', siderBg: '#ffffff', bodyBg: '#f0f2f5', headerHeight: 56, headerPadding: '0 20px' },
  },
};

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter basename={basename}>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
