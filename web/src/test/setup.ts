import '@testing-library/jest-dom/vitest'
import { afterEach } from 'vitest'
import { useAuthStore } from '../features/auth/authStore'

afterEach(() => {
  useAuthStore.getState().clear()
  localStorage.clear()
})
