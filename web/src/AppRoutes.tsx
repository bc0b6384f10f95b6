import { lazy } from 'react'
import { Navigate, Route, Routes } from 'react-router'
import { Layout } from './Layout'
import { AccountPage } from './features/account/AccountPage'
import { ForgotPasswordPage } from './features/auth/ForgotPasswordPage'
import { InvitePage } from './features/auth/InvitePage'
import { LoginPage } from './features/auth/LoginPage'
import { RequireAuth } from './features/auth/RequireAuth'
import { ResetPasswordPage } from './features/auth/ResetPasswordPage'
import { SignupPage } from './features/auth/SignupPage'
import { useResetCacheOnSignOut } from './features/auth/hooks'
import { IncidentPage } from './features/incidents/IncidentPage'
import { IncidentsPage } from './features/incidents/IncidentsPage'
import { HostsPage } from './features/hosts/HostsPage'
import { OverviewPage } from './features/overview/OverviewPage'

// The chart library and the form libraries load with the pages that use them.
const ServiceDetailPage = lazy(() =>
  import('./features/services/ServiceDetailPage').then((m) => ({ default: m.ServiceDetailPage })),
)
const NewServicePage = lazy(() =>
  import('./features/services/ServiceFormPage').then((m) => ({ default: m.NewServicePage })),
)
const HostDetailPage = lazy(() =>
  import('./features/hosts/HostDetailPage').then((m) => ({ default: m.HostDetailPage })),
)
const HostEditPage = lazy(() => import('./features/hosts/HostEditPage').then((m) => ({ default: m.HostEditPage })))
const LogsPage = lazy(() => import('./features/logs/LogsPage').then((m) => ({ default: m.LogsPage })))
const TeamPage = lazy(() => import('./features/team/TeamPage').then((m) => ({ default: m.TeamPage })))
const SettingsPage = lazy(() =>
  import('./features/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
)
const AlertsPage = lazy(() => import('./features/alerts/AlertsPage').then((m) => ({ default: m.AlertsPage })))
const EditServicePage = lazy(() =>
  import('./features/services/ServiceFormPage').then((m) => ({ default: m.EditServicePage })),
)
const StatusPagesPage = lazy(() =>
  import('./features/statuspages/StatusPagesPage').then((m) => ({ default: m.StatusPagesPage })),
)
const NewStatusPagePage = lazy(() =>
  import('./features/statuspages/StatusPageFormPage').then((m) => ({ default: m.NewStatusPagePage })),
)
const EditStatusPagePage = lazy(() =>
  import('./features/statuspages/StatusPageFormPage').then((m) => ({ default: m.EditStatusPagePage })),
)

const MaintenancePage = lazy(() =>
  import('./features/maintenance/MaintenancePage').then((m) => ({ default: m.MaintenancePage })),
)
const NewMaintenancePage = lazy(() =>
  import('./features/maintenance/MaintenanceFormPage').then((m) => ({ default: m.NewMaintenancePage })),
)
const EditMaintenancePage = lazy(() =>
  import('./features/maintenance/MaintenanceFormPage').then((m) => ({ default: m.EditMaintenancePage })),
)

export function AppRoutes() {
  useResetCacheOnSignOut()
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      {/* Outside RequireAuth: the person invited may have no account yet. */}
      <Route path="/invite/:token" element={<InvitePage />} />
      {/* Outside RequireAuth too: whoever resets a password cannot sign in. */}
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password/:token" element={<ResetPasswordPage />} />
      <Route element={<RequireAuth />}>
        <Route element={<Layout />}>
          <Route index element={<OverviewPage />} />
          <Route path="services/new" element={<NewServicePage />} />
          <Route path="services/:id" element={<ServiceDetailPage />} />
          <Route path="services/:id/edit" element={<EditServicePage />} />
          <Route path="incidents" element={<IncidentsPage />} />
          <Route path="incidents/:id" element={<IncidentPage />} />
          <Route path="hosts" element={<HostsPage />} />
          <Route path="hosts/:id" element={<HostDetailPage />} />
          <Route path="hosts/:id/edit" element={<HostEditPage />} />
          <Route path="logs" element={<LogsPage />} />
          <Route path="alerts" element={<AlertsPage />} />
          <Route path="status-pages" element={<StatusPagesPage />} />
          <Route path="status-pages/new" element={<NewStatusPagePage />} />
          <Route path="status-pages/:id/edit" element={<EditStatusPagePage />} />
          <Route path="maintenance" element={<MaintenancePage />} />
          <Route path="maintenance/new" element={<NewMaintenancePage />} />
          <Route path="maintenance/:id/edit" element={<EditMaintenancePage />} />
          <Route path="team" element={<TeamPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="account" element={<AccountPage />} />
        </Route>
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  )
}
