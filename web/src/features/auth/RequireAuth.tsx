import { Navigate, Outlet, useLocation } from 'react-router'
import { useIsSignedIn } from '../../api/authStore'

export function RequireAuth() {
  const signedIn = useIsSignedIn()
  const location = useLocation()
  if (!signedIn) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
  }
  return <Outlet />
}
