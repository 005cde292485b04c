import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { Spin } from 'antd';
import { AppLayout } from './components/AppLayout';
import { NotFound, RequireActive, RequirePermission } from './components/Guards';
import LoginPage from './pages/LoginPage';
import HomePage from './pages/HomePage';

const OrganisationsPage = lazy(() => import('./pages/OrganisationsPage'));
const PersonnelPage = lazy(() => import('./pages/PersonnelPage'));
const RolesPage = lazy(() => import('./pages/RolesPage'));
const AccountsPage = lazy(() => import('./pages/AccountsPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const SealingKeysPage = lazy(() => import('./bidding/SealingKeysPage'));
const MyBidsPage = lazy(() => import('./bidding/MyBidsPage'));
const BidLotPage = lazy(() => import('./bidding/BidLotPage'));
const OpeningListPage = lazy(() => import('./bidding/OpeningMonitorPage').then((m) => ({ default: m.OpeningListPage })));
const OpeningProjectPage = lazy(() => import('./bidding/OpeningMonitorPage').then((m) => ({ default: m.OpeningProjectPage })));
const ExpertsPage = lazy(() => import('./pages/ExpertsPage'));
const LotPage = lazy(() => import('./pages/LotPage'));
const LotsAfterOpeningPage = lazy(() => import('./pages/LotsAfterOpeningPage'));
const MyEvaluationsPage = lazy(() => import('./pages/MyEvaluationsPage'));
const ScoringPage = lazy(() => import('./pages/ScoringPage'));
const CreditRecordsPage = lazy(() => import('./pages/CreditRecordsPage'));
const CreditArchivePage = lazy(() => import('./pages/CreditArchivePage'));
const CreditObjectionsPage = lazy(() => import('./pages/CreditObjectionsPage'));
const CreditRepairsPage = lazy(() => import('./pages/CreditRepairsPage'));
const RegisterPage = lazy(() => import('./pages/RegisterPage'));
const MyEntityPage = lazy(() => import('./pages/MyEntityPage'));
const EntityReviewPage = lazy(() => import('./pages/EntityReviewPage'));
const EntitiesPage = lazy(() => import('./pages/EntitiesPage'));
const MyCreditPage = lazy(() => import('./pages/MyCreditPage'));
const TenderProjectsPage = lazy(() => import('./pages/TenderProjectsPage'));
const TenderProjectPage = lazy(() => import('./pages/TenderProjectPage'));
const ProjectAcceptancePage = lazy(() => import('./pages/ProjectAcceptancePage'));
const NoticeReviewPage = lazy(() => import('./pages/NoticeReviewPage'));
const TenderNoticesPage = lazy(() => import('./pages/TenderNoticesPage'));
const TenderNoticePage = lazy(() => import('./pages/TenderNoticePage'));
const DealsPage = lazy(() => import('./pages/DealsPage'));
const DealTimelinePage = lazy(() => import('./pages/DealTimelinePage'));

function guarded(permission: string, page: ReactNode) {
  return (
    <RequirePermission permission={permission}>
      <Suspense fallback={<Spin className="page-spin" />}>{page}</Suspense>
    </RequirePermission>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/register"
        element={
          <Suspense fallback={<Spin className="page-spin" />}>
            <RegisterPage />
          </Suspense>
        }
      />
      <Route
        element={
          <RequireActive>
            <AppLayout />
          </RequireActive>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="admin/organisations" element={guarded('org.organisation.read', <OrganisationsPage />)} />
        <Route path="admin/personnel" element={guarded('org.personnel.read', <PersonnelPage />)} />
        <Route path="admin/roles" element={guarded('org.role.read', <RolesPage />)} />
        <Route path="admin/accounts" element={guarded('identity.account.read', <AccountsPage />)} />
        <Route path="experts" element={guarded('experts.expert.read', <ExpertsPage />)} />
        {/* After the opening. The lot page takes any of the deal's reading permissions and checks them itself. */}
        <Route path="trading/lots/:id" element={<Suspense fallback={<Spin className="page-spin" />}><LotPage /></Suspense>} />
        <Route path="trading/evaluations" element={guarded('trading.evaluation.manage', <LotsAfterOpeningPage mode="staff" />)} />
        <Route path="trading/results" element={guarded('trading.tender.manage', <LotsAfterOpeningPage mode="entity" />)} />
        <Route path="evaluation/mine" element={guarded('evaluation.score.submit', <MyEvaluationsPage />)} />
        <Route path="evaluation/lots/:id" element={guarded('evaluation.score.submit', <ScoringPage />)} />
        <Route path="credit/records" element={guarded('credit.record.read', <CreditRecordsPage />)} />
        <Route path="credit/archive" element={guarded('credit.record.read', <CreditArchivePage />)} />
        <Route path="credit/objections" element={guarded('credit.objection.decide', <CreditObjectionsPage />)} />
        <Route path="credit/repairs" element={guarded('credit.repair.decide', <CreditRepairsPage />)} />
        <Route path="credit/mine" element={guarded('credit.self.read', <MyCreditPage />)} />
        <Route path="bidding/keys" element={guarded('trading.bid.submit', <SealingKeysPage />)} />
        <Route path="bidding" element={guarded('trading.bid.submit', <MyBidsPage />)} />
        <Route path="bidding/projects/:projectId/lots/:lotId" element={guarded('trading.bid.submit', <BidLotPage />)} />
        <Route path="opening" element={guarded('trading.opening.conduct', <OpeningListPage />)} />
        <Route path="opening/projects/:id" element={guarded('trading.opening.conduct', <OpeningProjectPage />)} />
        <Route path="registry/mine" element={guarded('registry.self.manage', <MyEntityPage />)} />
        <Route path="registry/reviews" element={guarded('registry.entity.review', <EntityReviewPage />)} />
        <Route path="registry/entities" element={guarded('registry.entity.read', <EntitiesPage />)} />
        <Route path="trading/projects" element={guarded('trading.tender.manage', <TenderProjectsPage />)} />
        <Route path="trading/projects/:id" element={guarded('trading.tender.manage', <TenderProjectPage />)} />
        <Route path="trading/acceptance" element={guarded('trading.project.accept', <ProjectAcceptancePage />)} />
        <Route path="trading/notice-reviews" element={guarded('trading.project.accept', <NoticeReviewPage />)} />
        <Route path="trading/notices" element={guarded('trading.bid.submit', <TenderNoticesPage />)} />
        <Route path="trading/notices/:id" element={guarded('trading.bid.submit', <TenderNoticePage />)} />
        <Route path="trading/deals" element={guarded('trading.deal.read', <DealsPage />)} />
        {/* Any of the three reading permissions: the page checks them itself. */}
        <Route path="trading/timeline/:id" element={<Suspense fallback={<Spin className="page-spin" />}><DealTimelinePage /></Suspense>} />
        <Route path="audit" element={guarded('audit.log.read', <AuditPage />)} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
